"""Numbers in one text: hits and near-misses per kind, written, spoken and as ASR writes them.

Every example of issue 15 item 2 is in `ISSUE_HITS`; what must stay readable (order numbers,
amounts, dates, 工号, hotlines) in `SURVIVORS`; what is knowingly not masked in `KNOWN_MISSES`
(listed in docs/redaction.md).
"""

from __future__ import annotations

import pytest

from inspection.redaction import PiiKind, redact_text
from tests.inspection.redaction.redaction_builders import (
    CARD13,
    CARD16,
    CARD19,
    ID,
    ID_X,
    LEGACY_ID,
    MOBILE,
    ORDER_LUHN,
    grouped,
    id_but_no_card,
    spoken,
    with_luhn,
    wrong_check,
)

HITS: list[tuple[str, PiiKind, str]] = [
    # mobile
    (f"手机号是{MOBILE}，谢谢", "mobile", "手机号是[手机号]，谢谢"),
    ("电话 138 1234 5678 好的", "mobile", "电话 [手机号] 好的"),
    ("138-1234-5678", "mobile", "[手机号]"),
    ("+86 138 1234 5678", "mobile", "[手机号]"),
    (f"打+86{MOBILE}", "mobile", "打[手机号]"),
    (f"0086-{MOBILE}", "mobile", "[手机号]"),
    ("１３８１２３４５６７８", "mobile", "[手机号]"),
    ("我的手机是幺三八一二三四五六七八", "mobile", "我的手机是[手机号]"),
    ("号码一三八一二三四五六七八对", "mobile", "号码[手机号]对"),
    ("幺三八，幺二三四，五六七八", "mobile", "[手机号]"),
    ("一 三 八 一 二 三 四 五 六 七 八", "mobile", "[手机号]"),
    ("138幺二三四5678", "mobile", "[手机号]"),
    ("幺三八洞洞两三四五六七", "mobile", "[手机号]"),
    ("幺三八一二三四五六七八一下", "mobile", "[手机号]下"),  # whole group masked: 一 goes too
    # bank card
    (f"卡号{CARD16}", "bank_card", "卡号[银行卡号]"),
    (f"卡号 {grouped(CARD16, (4, 4, 4, 4))} 对吧", "bank_card", "卡号 [银行卡号] 对吧"),
    (f"{grouped(CARD16, (4, 4, 4, 4), '-')}", "bank_card", "[银行卡号]"),
    (f"{grouped(CARD19, (6, 13))}", "bank_card", "[银行卡号]"),
    (f"卡号{CARD13}。", "bank_card", "卡号[银行卡号]。"),
    (f"我的卡号是{spoken(CARD16)}", "bank_card", "我的卡号是[银行卡号]"),
    (f"卡号{grouped(spoken(CARD16, '一'), (4, 4, 4, 4), '，')}", "bank_card", "卡号[银行卡号]"),
    (f"卡号{CARD16[:8]}{spoken(CARD16[8:])}", "bank_card", "卡号[银行卡号]"),
    # resident ID number
    (f"身份证号{ID}", "id_number", "身份证号[身份证号]"),
    (f"身份证{ID_X}，", "id_number", "身份证[身份证号]，"),
    (f"身份证{ID_X.lower()}", "id_number", "身份证[身份证号]"),
    (f"身份证号是{spoken(ID_X)}", "id_number", "身份证号是[身份证号]"),
    (f"{grouped(ID, (6, 8, 4))}", "id_number", "[身份证号]"),
    (f"证件号{grouped(spoken(ID), (3, 3, 3, 3, 3, 3), '，')}", "id_number", "证件号[身份证号]"),
    (f"老身份证{LEGACY_ID}", "id_number", "老身份证[身份证号]"),
]

ISSUE_HITS: list[tuple[str, PiiKind, str]] = [
    # digits broken by fillers or pauses
    ("138呃1234嗯5678", "mobile", "[手机号]"),
    ("幺三八，那个，一二三四，嗯，五六七八", "mobile", "[手机号]"),
    ("我手机是138，就是，1234，然后5678", "mobile", "我手机是[手机号]"),
    (f"卡号{grouped(CARD16, (4, 4, 4, 4), '，嗯，')}", "bank_card", "卡号[银行卡号]"),
    # separators
    ("138.1234.5678", "mobile", "[手机号]"),
    ("138/1234/5678", "mobile", "[手机号]"),
    ("138_1234_5678", "mobile", "[手机号]"),
    ("138 ... 1234 ... 5678", "mobile", "[手机号]"),
    ("138…1234…5678", "mobile", "[手机号]"),
    ("138。1234。5678", "mobile", "[手机号]"),
    (grouped(CARD16, (4, 4, 4, 4), "."), "bank_card", "[银行卡号]"),
    (grouped(ID, (6, 8, 4), "/"), "id_number", "[身份证号]"),
    # glued to letters or symbols
    (f"wx{MOBILE}", "mobile", "wx[手机号]"),
    (f"加我WX{MOBILE}", "mobile", "加我WX[手机号]"),
    (f"tel{MOBILE}", "mobile", "tel[手机号]"),
    (f"Tel.{MOBILE}", "mobile", "Tel.[手机号]"),
    (f"加vx{MOBILE}好友", "mobile", "加vx[手机号]好友"),
    (f"#{MOBILE}#", "mobile", "#[手机号]#"),
    ("¥138 1234 5678", "mobile", "¥[手机号]"),  # an allocated mobile number said 3-4-4
    ("¥138-1234-5678", "mobile", "¥[手机号]"),
    (f"电话¥{MOBILE}", "mobile", "电话¥[手机号]"),  # after a phone cue
    # spaced and partly misheard: a long run after a cue word, no checksum holds
    ("卡号16 21 00 12 35 6 77 89 00 12", "bank_card", "卡号[银行卡号]"),
    (f"账号 {grouped(wrong_check(CARD16), (4, 4, 4, 4))}", "bank_card", "账号 [银行卡号]"),
    (f"银行卡{grouped(spoken(wrong_check(CARD19)), (4, 4, 4, 4, 3), '，')}", "bank_card", "银行卡[银行卡号]"),
    (f"身份证{grouped(wrong_check(ID), (2,) * 9)}", "id_number", "身份证[身份证号]"),
    (f"证件号码是{spoken(ID[:-2])}", "id_number", "证件号码是[身份证号]"),
    ("手机号 128 1234 56789", "mobile", "手机号 [手机号]"),
    ("电话12812345678", "mobile", "电话[手机号]"),
    ("电话 0755 2345 6789 1", "landline", "电话 [座机号]"),
    # landlines, with an extension
    ("010-62345678", "landline", "[座机号]"),
    ("0755 2345 6789", "landline", "[座机号]"),
    ("电话010-62345678转123", "landline", "电话[座机号]"),
    ("电话010-62345678 转 123，谢谢", "landline", "电话[座机号]，谢谢"),
    ("(021)6123-4567 分机 88", "landline", "[座机号]"),
    ("010-62345678-123", "landline", "[座机号]"),
    ("+86 10 6234 5678", "landline", "[座机号]"),
    ("（010）62345678转8", "landline", "[座机号]"),
    (f"我的电话({MOBILE})", "mobile", "我的电话([手机号])"),  # a "(" goes only with its ")"
    ("座机零幺零，六二三四，五六七八", "landline", "座机[座机号]"),
    # e-mail addresses
    ("邮箱 zhang.san@example.com", "email", "邮箱 [邮箱]"),
    (f"{MOBILE}@qq.com", "email", "[邮箱]"),
    ("Li_Si+bank@mail.example.com.cn，谢谢", "email", "[邮箱]，谢谢"),
    ("发到 zhangsan＠163.com", "email", "发到 [邮箱]"),
    ("zhangsan 艾特 qq 点 com", "email", "[邮箱]"),
    # a Luhn-valid number said as a card; without any cue the safe side masks it
    (f"卡号{ORDER_LUHN}", "bank_card", "卡号[银行卡号]"),
    (ORDER_LUHN, "bank_card", "[银行卡号]"),
]

NEAR_MISSES = [
    wrong_check(ID),  # checksum fails
    id_but_no_card(birth="19490230"),  # valid checksum, 30 February
    id_but_no_card(birth="18501231"),  # valid checksum, implausible birth year
    id_but_no_card(region="990105"),  # valid checksum, no such province
    wrong_check(CARD16),  # Luhn fails
    spoken(wrong_check(CARD16)),
    with_luhn("62220212345"),  # Luhn-valid, 12 digits: too short
    with_luhn("6222021234567890123"),  # Luhn-valid, 20 digits: too long
    with_luhn("022202123456789"),  # Luhn-valid, starts with 0
    "12812345678",  # not a mobile prefix
    "1381234567",  # 10 digits
    "138123456789",  # 12 digits
    "幺三八一二三四五六七",  # 10 spoken digits
    "转账13,812,345,678元",  # amounts
    "¥13812345678",
    "13812345678元",
    f"{CARD16}元",
    "13812345678.50",
    "工号8027，很高兴为您服务",  # 工号
    "工号 802715",
    "卡号尾号是1234，验证码不要告诉别人",
    "2026-11-01",  # dates and times
    "20261101",
    "2026年11月1日 09:30:00",
    "WO13812345678",  # order codes
    "订单号20261101138123456789",
    "一万三千八百元",  # spoken amount
    "我想查一下这个月的账单，一共三笔，一二三四五",
    "138 的话 1234 5678",  # not one number
]

SURVIVORS = [
    # order and reference numbers: not a card unless Luhn-valid and said as one
    "订单号2024061009452231",
    f"订单号{ORDER_LUHN}",
    f"您的流水号是 {grouped(ORDER_LUHN, (4, 4, 4, 4))}",
    f"工单号{ORDER_LUHN}已受理",
    "快递单号 SF1234567890123",
    "验证码 123456",
    # amounts
    "¥1,380.00",
    "金额1380.50元",
    "共计 ¥6,222.02",
    "还款 13812345678 元",
    "¥154 1234 5678",  # grouped like a phone, but no allocated mobile prefix: an amount
    "利率 0.13812345678",
    "一万三千八百元整",
    # dates and times
    "2026-11-01 09:30:00",
    "2026/11/01",
    "2026.11.01",
    "2026年11月1日上午九点半",
    "二零二六年十一月一号",
    # 工号 and hotlines
    "工号是幺零二四",
    "您好，工号8027为您服务",
    "拨打12315投诉",
    "客服热线95588",
    "请拨打400-820-8820",
    "800-820-8820 全国免费",
    "电话 12315",
    "请拨 4008 208 820 转 1",
    "手机尾号5678",
    # other figures
    "192.168.1.1",
    "版本 1.2.3",
    "我有3个，那个5678",
    "@客服 你好",
    "艾特一下同事",
    "邮箱我一会儿发你",
]

KNOWN_MISSES = [
    "6234 5678",  # a local landline without its area code: looks like a date or an order number
    "¥13812345678",  # an amount-shaped mobile number not said as one
    "我的邮箱是张三拼音加生日",  # a mailbox described, not spelt
    "手机 138 1234",  # a partial number
]


@pytest.mark.parametrize(("text", "kind", "expected"), HITS + ISSUE_HITS)
def test_personal_data_is_masked(text: str, kind: PiiKind, expected: str) -> None:
    masked, detections = redact_text(text)
    assert masked == expected
    assert [d.kind for d in detections] == [kind]


@pytest.mark.parametrize(("text", "kind", "expected"), HITS + ISSUE_HITS)
def test_masking_a_masked_text_changes_nothing(text: str, kind: PiiKind, expected: str) -> None:
    assert redact_text(expected) == (expected, [])


@pytest.mark.parametrize("text", NEAR_MISSES + SURVIVORS + KNOWN_MISSES)
def test_figures_that_are_not_personal_stay_readable(text: str) -> None:
    assert redact_text(text) == (text, [])


@pytest.mark.parametrize(
    ("text", "basis"),
    [
        (f"卡号{CARD16}", "validated"),
        ("卡号16 21 00 12 35 6 77 89 00 12", "cue"),
        ("a@example.com", "pattern"),
    ],
)
def test_each_detection_says_why(text: str, basis: str) -> None:
    assert [d.basis for d in redact_text(text)[1]] == [basis]


def test_offsets_index_the_input_text() -> None:
    card = grouped(CARD16, (4, 4, 4, 4))
    text = f"手机{MOBILE}，卡号 {card}，身份证{ID_X}，邮箱 a.b@c.cn，座机010-62345678。"
    masked, detections = redact_text(text)
    assert masked == "手机[手机号]，卡号 [银行卡号]，身份证[身份证号]，邮箱 [邮箱]，座机[座机号]。"
    assert [(d.kind, text[d.start:d.end].replace(" ", "")) for d in detections] == [
        ("mobile", MOBILE), ("bank_card", CARD16), ("id_number", ID_X), ("email", "a.b@c.cn"),
        ("landline", "010-62345678"),
    ]


def test_two_spoken_mobiles_in_a_row_stay_two() -> None:
    masked, detections = redact_text(f"{spoken(MOBILE)}，{spoken('13987654321')}")
    assert masked == "[手机号]，[手机号]"
    assert [d.kind for d in detections] == ["mobile", "mobile"]


def test_valid_numbers_after_a_cue_keep_their_own_kinds() -> None:
    masked, detections = redact_text(f"卡号{CARD16}，{MOBILE}")
    assert masked == "卡号[银行卡号]，[手机号]"
    assert [(d.kind, d.basis) for d in detections] == [("bank_card", "validated"), ("mobile", "validated")]


def test_the_nearest_cue_decides() -> None:
    assert redact_text(f"卡号不是这个，订单号{ORDER_LUHN}")[1] == []
    assert redact_text(f"订单号不记得，卡号{ORDER_LUHN}")[0] == "订单号不记得，卡号[银行卡号]"
