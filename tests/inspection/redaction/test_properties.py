"""Properties over generated texts: digits hidden only inside detections, no overlaps, idempotence,
and every valid number masked whatever its written form."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspection.redaction import PiiKind, redact_text
from tests.inspection.redaction.redaction_builders import (
    CARD16,
    ID,
    ID_X,
    MOBILE,
    PLACEHOLDER,
    count_digits,
    grouped,
    id_number,
    spoken,
    with_luhn,
)


@pytest.mark.parametrize(
    "text",
    [
        f"{ID_X}.{MOBILE}",  # found by hypothesis: a decimal point between two numbers
        f"{MOBILE}.{MOBILE}",
        f"{spoken(MOBILE)}一 三八，{MOBILE}",
        f"+86 {MOBILE}，{CARD16}",
        f"[手机号]，{grouped(MOBILE, (3, 4, 4, 1))}",  # "手机" inside a placeholder is no cue
        f"卡号{MOBILE}，{MOBILE}呃{MOBILE}",
        "电话010-62345678转123转456",
        "a@b.cn@c.com 13812345678@qq.com",
    ],
)
def test_masking_twice_changes_nothing(text: str) -> None:
    masked, _ = redact_text(text)
    assert redact_text(masked) == (masked, [])


FRAGMENTS = st.one_of(
    st.sampled_from([MOBILE, CARD16, ID, ID_X, spoken(MOBILE), spoken(CARD16, "一"), "+86 ", "，", " ",
                     "-", "元", "¥", ".", "一下", "工号8027", "X", "叉", "abc", "我的卡号是", "手机",
                     "订单号", "呃", "那个", "...", "/", "转", "wx", "@", "qq.com", "010-62345678",
                     "[手机号]", "身份证"]),
    st.text(alphabet="0123456789幺一二两三四五六七八九零洞 ,，-.+Xx叉元¥ab手号呃嗯/_@转卡", max_size=12),
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
    form=st.sampled_from(["plain", "groups", "dashes", "spoken", "spoken_groups", "mixed", "dots", "slashes",
                          "fillers", "pauses"]),
    before=st.sampled_from(["", "好的，", "我的号码是", "记一下：", "wx", "tel:"]),
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
        "dots": grouped(digits, (len(digits) - 8, 4, 4), "."),  # "." before 1-2 digits is a decimal point
        "slashes": grouped(digits, (4,) * 5, "/"),
        "fillers": grouped(digits, (3, 4, 4, 4, 4), "呃"),
        "pauses": grouped(spoken(digits), (3, 4, 4, 4, 4), "，那个，"),
    }[form]
    assert redact_text(before + written + after)[0] == before + PLACEHOLDER[kind] + after
