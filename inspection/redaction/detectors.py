"""The registry: every kind of personal number, its placeholder and its validator, in priority order.

When one digit sequence passes several validators (an 18-digit ID number can also be
Luhn-valid), the first detector in `DETECTORS` names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from inspection.redaction.bank_card import is_bank_card
from inspection.redaction.id_number import is_id_number
from inspection.redaction.mobile import is_mobile

PiiKind = Literal["id_number", "bank_card", "mobile"]


@dataclass(frozen=True)
class Detector:
    kind: PiiKind
    placeholder: str  # what replaces the number: says what was said, never any of its digits
    matches: Callable[[str], bool]  # takes the bare digits ("X" allowed), separators removed
    explanation: str


DETECTORS: dict[PiiKind, Detector] = {
    "id_number": Detector(
        "id_number", "[身份证号]", is_id_number,
        "18 位身份证号：地区码、出生日期有效且校验位正确（或 15 位旧号：地区码与出生日期有效）",
    ),
    "mobile": Detector(
        "mobile", "[手机号]", is_mobile, "11 位手机号：1 开头、第二位 3–9，可带 +86 / 0086",
    ),
    "bank_card": Detector(
        "bank_card", "[银行卡号]", is_bank_card, "13–19 位银行卡号：首位非 0，Luhn 校验通过",
    ),
}
