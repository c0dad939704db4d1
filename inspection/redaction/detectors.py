"""The registry: every kind of personal data, its placeholder and how it is found, in priority order.

Number detectors (`accepts` set) are shown each digit candidate in this order: when one digit
sequence passes several (an 18-digit ID number can also be Luhn-valid), the first names it.
Text detectors (`accepts` None) find their spans themselves: e-mail addresses by pattern
(`email`), names and street addresses by the opt-in NER model (`entities`). Each detector
module's docstring states what it finds, how it validates and its false-positive guard.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from inspection.redaction import bank_card, id_number, landline, mobile
from inspection.redaction.candidate import Candidate

PiiKind = Literal["email", "id_number", "mobile", "landline", "bank_card", "person_name", "address"]
Basis = Literal["validated", "cue", "pattern", "model"]


class Detection(NamedTuple):
    """One piece of personal data: its kind and its character offsets in the scanned text.

    `basis` says why it was masked: "validated" (checksum or numbering plan held), "cue" (a long
    digit run right after 卡号 / 身份证 / 手机 …, no checksum required), "pattern" (e-mail),
    "model" (the NER model).
    """

    kind: PiiKind
    start: int
    end: int
    basis: Basis = "validated"


@dataclass(frozen=True)
class Detector:
    kind: PiiKind
    placeholder: str  # what replaces the span: says what was said, never any of its characters
    accepts: Callable[[Candidate], bool] | None  # number detectors only; None: found in the text
    explanation: str


DETECTORS: dict[PiiKind, Detector] = {
    "email": Detector("email", "[邮箱]", None, "电子邮箱地址：用户名@域名（也识别「艾特」「点」的口述写法）"),
    "id_number": Detector(
        "id_number", "[身份证号]", id_number.accepts,
        "18 位身份证号：省级地区码、出生日期有效且校验位正确（或 15 位旧号：地区码与出生日期有效）",
    ),
    "mobile": Detector(
        "mobile", "[手机号]", mobile.accepts, "11 位手机号：1 开头、第二位 3–9，可带 +86 / 0086",
    ),
    "landline": Detector(
        "landline", "[座机号]", landline.accepts, "带区号的固定电话（含分机）：区号与号长符合国内编号计划",
    ),
    "bank_card": Detector(
        "bank_card", "[银行卡号]", bank_card.accepts,
        "13–19 位银行卡号：首位非 0，Luhn 校验通过，非订单号等编号",
    ),
    "person_name": Detector("person_name", "[姓名]", None, "人名（可选的 NER 模型识别，默认关闭）"),
    "address": Detector("address", "[地址]", None, "街道级地址（可选的 NER 模型识别，默认关闭）"),
}
NUMBER_DETECTORS = tuple(detector for detector in DETECTORS.values() if detector.accepts is not None)
PLACEHOLDERS = frozenset(detector.placeholder for detector in DETECTORS.values())
