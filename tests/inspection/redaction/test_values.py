"""`redact_value`: any JSON-like value redacted by what it holds, not by its field names."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from inspection.errors import InvalidInputError
from inspection.redaction import MAX_DEPTH, ValueDetection, redact_value
from tests.inspection.redaction.redaction_builders import CARD16, MOBILE, id_number

NUMERIC_ID = next(n for s in range(1000) if (n := id_number(sequence=f"{s:03d}"))[-1].isdigit())


def nested(depth: int, leaf: Any = MOBILE) -> Any:
    value = leaf
    for level in range(depth):
        value = {"k": value} if level % 2 else [value]
    return value


def test_strings_anywhere_are_masked_and_keys_kept() -> None:
    metadata = {
        "queue": "credit_card",
        "customer_phone": MOBILE,
        "备注": f"客户说卡号是{CARD16}，邮箱 a@b.cn",
        "contacts": [{"label": "家", "number": "010-62345678"}, "不是号码 12315"],
        "ivr_recording_notice": True,
        "score": 98.5,
        "missing": None,
    }
    original = copy.deepcopy(metadata)
    redacted, found = redact_value(metadata)
    assert redacted == {
        "queue": "credit_card",
        "customer_phone": "[手机号]",
        "备注": "客户说卡号是[银行卡号]，邮箱 [邮箱]",
        "contacts": [{"label": "家", "number": "[座机号]"}, "不是号码 12315"],
        "ivr_recording_notice": True,
        "score": 98.5,
        "missing": None,
    }
    assert metadata == original  # the input is not changed
    assert [(d.path, d.kind) for d in found] == [
        (("customer_phone",), "mobile"), (("备注",), "bank_card"), (("备注",), "email"),
        (("contacts", 0, "number"), "landline"),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (13812345678, "[手机号]"),
        (-13812345678, "[手机号]"),
        (13812345678.0, "[手机号]"),
        (int(CARD16), "[银行卡号]"),
        (int(NUMERIC_ID), "[身份证号]"),
        (8027, 8027),  # 工号
        (20261101, 20261101),  # a date
        (12315, 12315),
        (1380.5, 1380.5),
        (float("inf"), float("inf")),
        (10**400, 10**400),
        (True, True),
    ],
)
def test_numbers_that_are_personal_numbers_become_placeholders(value: Any, expected: Any) -> None:
    redacted, found = redact_value({"n": value})
    assert redacted == {"n": expected}
    assert bool(found) == (expected != value)


def test_a_plain_string_and_tuples() -> None:
    assert redact_value(f"手机{MOBILE}")[0] == "手机[手机号]"
    redacted, found = redact_value((MOBILE, "ok"))
    assert redacted == ("[手机号]", "ok")
    assert found == [ValueDetection((0,), "mobile", 0, 11, "validated")]


def test_masking_twice_changes_nothing() -> None:
    once, _ = redact_value({"a": [MOBILE, {"b": f"卡号{CARD16}"}], "c": 13812345678})
    assert redact_value(once) == (once, [])


def test_nesting_up_to_the_limit_is_walked() -> None:
    redacted, found = redact_value(nested(MAX_DEPTH))
    assert len(found) == 1 and MOBILE not in repr(redacted)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 5000])
def test_deeper_nesting_is_refused_with_a_clear_error(depth: int) -> None:
    with pytest.raises(InvalidInputError, match=f"嵌套超过 {MAX_DEPTH} 层") as error:
        redact_value(nested(depth), source="metadata")
    message = str(error.value)
    assert message.startswith("metadata: ") and "k[0].k[0]" in message and "…" in message


def test_the_error_location_shows_no_personal_data() -> None:
    with pytest.raises(InvalidInputError) as error:
        redact_value({MOBILE: nested(40)}, max_depth=3)
    assert MOBILE not in str(error.value) and "[手机号]" in str(error.value)


def test_a_cycle_is_refused_not_looped() -> None:
    loop: list[Any] = []
    loop.append(loop)
    with pytest.raises(InvalidInputError):
        redact_value(loop)


def test_lone_surrogates_pass_through() -> None:
    assert redact_value({"a": f"\ud800{MOBILE}\udfff"})[0] == {"a": "\ud800[手机号]\udfff"}
