"""PII redaction: hits and near-misses per kind, written and spoken, timestamps, and properties.

Every ID and card number here is generated with its check digit computed in this file (by an
implementation independent of the code under test); none is a real person's number.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspection.redaction import DETECTORS, PiiKind, RedactedSpan, redact_conversation, redact_text
from inspection.types import Conversation, Utterance, Word

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SPOKEN = "零幺二三四五六七八九"
DIGIT_CHARS = frozenset(
    "0123456789０１２３４５６７８９" "零〇洞幺一壹二两兩贰貳三叁參四肆五伍六陆陸七柒拐八捌九玖勾"
)
PLACEHOLDER = {kind: detector.placeholder for kind, detector in DETECTORS.items()}


def id_number(region: str = "110105", birth: str = "19491231", sequence: str = "002") -> str:
    body = region + birth + sequence
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def id_number_ending_in_x() -> str:
    return next(n for s in range(1000) if (n := id_number(sequence=f"{s:03d}")).endswith("X"))


def luhn_ok(digits: str) -> bool:
    if not digits.isdigit():
        return False
    doubled = [int(d) * (1 + i % 2) for i, d in enumerate(reversed(digits))]
    return sum(v // 10 + v % 10 for v in doubled) % 10 == 0


def with_luhn(prefix: str) -> str:
    return next(prefix + d for d in "0123456789" if luhn_ok(prefix + d))


def spoken(digits: str, one: str = "幺") -> str:
    return "".join(one if d == "1" else SPOKEN[int(d)] if d.isdigit() else "叉" for d in digits)


def grouped(number: str, sizes: tuple[int, ...], separator: str = " ") -> str:
    parts, start = [], 0
    for size in sizes:
        parts.append(number[start:start + size])
        start += size
    return separator.join(part for part in parts if part)


def wrong_check(number: str) -> str:
    """The number with another last digit, one that is not Luhn-valid either."""
    return next(number[:-1] + d for d in "0123456789" if d != number[-1] and not luhn_ok(number[:-1] + d))


def id_but_no_card(region: str = "110105", birth: str = "19491231") -> str:
    """An ID-number-shaped string with a correct check character that is not Luhn-valid."""
    return next(n for s in range(1000) if not luhn_ok(n := id_number(region, birth, f"{s:03d}")))


MOBILE = "13812345678"
CARD16 = with_luhn("622202123456789")
CARD19 = with_luhn("621700000012345678")
CARD13 = with_luhn("400000000001")
ID = id_number()
ID_X = id_number_ending_in_x()
LEGACY_ID = "110105491231002"

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


@pytest.mark.parametrize(("text", "kind", "expected"), HITS)
def test_personal_numbers_are_masked(text: str, kind: PiiKind, expected: str) -> None:
    masked, detections = redact_text(text)
    assert masked == expected
    assert [d.kind for d in detections] == [kind]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_stay_readable(text: str) -> None:
    assert redact_text(text) == (text, [])


def test_offsets_index_the_input_text() -> None:
    text = f"手机{MOBILE}，卡号 {grouped(CARD16, (4, 4, 4, 4))}，身份证{ID_X}。"
    masked, detections = redact_text(text)
    assert masked == "手机[手机号]，卡号 [银行卡号]，身份证[身份证号]。"
    assert [(d.kind, text[d.start:d.end].replace(" ", "")) for d in detections] == [
        ("mobile", MOBILE), ("bank_card", CARD16), ("id_number", ID_X)
    ]


def test_two_spoken_mobiles_in_a_row_stay_two() -> None:
    masked, detections = redact_text(f"{spoken(MOBILE)}，{spoken('13987654321')}")
    assert masked == "[手机号]，[手机号]"
    assert [d.kind for d in detections] == ["mobile", "mobile"]


def test_registry_covers_every_kind_and_placeholders_hold_no_digits() -> None:
    assert set(DETECTORS) == set(get_args(PiiKind))
    for kind, detector in DETECTORS.items():
        assert detector.kind == kind
        assert not DIGIT_CHARS & set(detector.placeholder)


def words(*items: tuple[str, float, float]) -> tuple[Word, ...]:
    return tuple(Word(text=text, start=start, end=end) for text, start, end in items)


def conversation(*utterances: Utterance) -> Conversation:
    return Conversation(id="c-1", metadata={"queue": "credit_card"}, utterances=utterances)


def test_conversation_spans_take_their_times_from_the_words() -> None:
    greeting = Utterance(role="agent", start=0.0, end=2.0, text="您好，请问有什么可以帮您？")
    said = words(("我的", 10.0, 10.4), ("手机", 10.4, 10.8), ("是", 10.8, 11.0), ("138", 11.2, 11.9),
                 ("1234", 12.0, 12.8), ("5678", 12.9, 13.6), ("谢谢", 14.0, 14.5))
    text = "我的手机是138 1234 5678谢谢"
    customer = Utterance(role="customer", start=10.0, end=14.5, text=text, words=said)
    original = conversation(greeting, customer)
    redacted, spans = redact_conversation(original)
    assert spans == [RedactedSpan(1, "mobile", 5, 18, 11.2, 13.6)]
    assert redacted.utterances[0] is greeting
    assert redacted.utterances[1].text == "我的手机是[手机号]谢谢"
    assert [(w.text, w.start, w.end) for w in redacted.utterances[1].words] == [
        ("我的", 10.0, 10.4), ("手机", 10.4, 10.8), ("是", 10.8, 11.0),
        ("[手机号]", 11.2, 13.6), ("谢谢", 14.0, 14.5),
    ]
    assert (redacted.id, redacted.metadata) == (original.id, original.metadata)
    assert original.utterances[1] is customer and customer.text.endswith("5678谢谢")


def test_spoken_digits_as_one_word_each() -> None:
    digits = spoken(MOBILE)
    timed = ((char, 4.0 + i * 0.3, 4.25 + i * 0.3) for i, char in enumerate(digits))
    said = words(("号码", 3.0, 3.5), *timed)
    utterance = Utterance(role="customer", start=3.0, end=8.0, text=f"号码，{digits}", words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert [(s.kind, s.start, s.end) for s in spans] == [("mobile", 4.0, pytest.approx(7.25))]
    assert [w.text for w in redacted.utterances[0].words] == ["号码", "[手机号]"]


def test_words_straddling_a_number_are_merged_and_masked() -> None:
    said = words(("号码是138", 1.0, 2.0), (" 1234", 2.0, 2.5), ("5678好的", 2.5, 3.5), ("再见", 4.0, 4.5))
    text = "号码是138 1234 5678好的，再见"
    utterance = Utterance(role="customer", start=1.0, end=4.5, text=text, words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert (spans[0].start, spans[0].end) == (1.0, 3.5)
    assert [(w.text, w.start, w.end) for w in redacted.utterances[0].words] == [
        ("号码是[手机号]好的", 1.0, 3.5), ("再见", 4.0, 4.5)
    ]


def test_two_numbers_in_one_utterance() -> None:
    said = words(("卡号", 0.0, 0.5), (CARD16, 0.6, 3.0), ("手机", 3.2, 3.6), (MOBILE, 3.7, 5.0))
    utterance = Utterance(role="customer", start=0.0, end=5.0, text=f"卡号{CARD16}，手机{MOBILE}", words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert [(s.kind, s.start, s.end) for s in spans] == [("bank_card", 0.6, 3.0), ("mobile", 3.7, 5.0)]
    assert [w.text for w in redacted.utterances[0].words] == ["卡号", "[银行卡号]", "手机", "[手机号]"]


def test_without_words_the_whole_utterance_is_muted() -> None:
    utterance = Utterance(role="customer", start=7.0, end=9.5, text=f"身份证{ID}")
    redacted, spans = redact_conversation(conversation(utterance))
    assert spans == [RedactedSpan(0, "id_number", 3, 21, 7.0, 9.5)]
    assert redacted.utterances[0].text == "身份证[身份证号]"


def test_words_that_do_not_match_the_text_are_dropped() -> None:
    said = words(("我的", 1.0, 1.5), ("电话", 1.5, 2.0), (MOBILE, 2.0, 4.0))
    utterance = Utterance(role="customer", start=1.0, end=4.0, text=f"我的手机{MOBILE}", words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert (spans[0].start, spans[0].end) == (1.0, 4.0)
    assert redacted.utterances[0].words == ()


@pytest.mark.parametrize(
    "text",
    [
        f"{ID_X}.{MOBILE}",  # found by hypothesis: a decimal point between two numbers
        f"{MOBILE}.{MOBILE}",
        f"{spoken(MOBILE)}一 三八，{MOBILE}",
        f"+86 {MOBILE}，{CARD16}",
    ],
)
def test_masking_twice_changes_nothing(text: str) -> None:
    masked, _ = redact_text(text)
    assert redact_text(masked) == (masked, [])


def count_digits(text: str) -> int:
    return sum(char in DIGIT_CHARS for char in text)


FRAGMENTS = st.one_of(
    st.sampled_from([MOBILE, CARD16, ID, ID_X, spoken(MOBILE), spoken(CARD16, "一"), "+86 ", "，", " ",
                     "-", "元", "¥", ".", "一下", "工号8027", "X", "叉", "abc", "我的卡号是"]),
    st.text(alphabet="0123456789幺一二两三四五六七八九零洞 ,，-.+Xx叉元¥ab手号", max_size=12),
)


@given(st.lists(FRAGMENTS, max_size=10).map("".join))
def test_redaction_hides_digits_and_is_idempotent(text: str) -> None:
    masked, detections = redact_text(text)
    hidden = sum(count_digits(text[d.start:d.end]) for d in detections)
    assert count_digits(masked) == count_digits(text) - hidden
    assert all(a.end <= b.start for a, b in pairwise(detections))
    assert redact_text(masked) == (masked, [])


def _numbers() -> st.SearchStrategy[tuple[PiiKind, str]]:
    mobiles = st.tuples(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9))
    cards = st.tuples(st.sampled_from("3456"), st.text("0123456789", min_size=14, max_size=17))
    ids = st.tuples(
        st.sampled_from(["110105", "310104", "440305", "510107", "650102"]),
        st.dates(date(1900, 1, 1), date(2099, 12, 31)),
        st.integers(0, 999),
    )
    return st.one_of(
        mobiles.map(lambda m: ("mobile", "1" + m[0] + m[1])),
        cards.filter(lambda c: len(c[1]) != 16).map(lambda c: ("bank_card", with_luhn(c[0] + c[1]))),
        ids.map(lambda i: ("id_number", id_number(i[0], i[1].strftime("%Y%m%d"), f"{i[2]:03d}"))),
    )


@given(
    number=_numbers(),
    form=st.sampled_from(["plain", "groups", "dashes", "spoken", "spoken_groups", "mixed"]),
    before=st.sampled_from(["", "好的，", "我的号码是", "记一下："]),
    after=st.sampled_from(["", "。", "，对吗", " 谢谢"]),
)
def test_valid_numbers_are_always_masked(
    number: tuple[PiiKind, str], form: str, before: str, after: str
) -> None:
    kind, digits = number
    written = {
        "plain": digits,
        "groups": grouped(digits, (4,) * 5),
        "dashes": grouped(digits, (3, 4, 4, 4, 4), "-"),
        "spoken": spoken(digits, "一"),
        "spoken_groups": grouped(spoken(digits), (3, 4, 4, 4, 4), "，"),
        "mixed": digits[:5] + spoken(digits[5:]),
    }[form]
    assert redact_text(before + written + after)[0] == before + PLACEHOLDER[kind] + after
