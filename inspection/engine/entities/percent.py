"""`@percent`: a rate or a share.

Reads: 百分之三点八, 百分之十五, 百分之百, 千分之五 (0.5), 3.8%, 12%, and percentage points as
said on the phone: 六个点, 两个多点, 三个半点 (value 6, 2, 3.5). Not: "三点" (a time), "一点"
(a little).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from inspection.engine.entities.entity import Entity
from inspection.engine.entities.numerals import AR_NUMBER, CN_NUMBER, NOT_AFTER_NUMBER, read_number

NAME = "percent"
LABEL = "百分比"

_PATTERN = re.compile("|".join((
    f"(?P<per>[百千])分之(?P<of>{CN_NUMBER}|百|{AR_NUMBER})",
    f"{NOT_AFTER_NUMBER}(?P<sign>{AR_NUMBER})%",
    f"{NOT_AFTER_NUMBER}(?P<points>{CN_NUMBER}|{AR_NUMBER})个(?P<more>多|半)?点",
)))


def find(text: str) -> Iterator[Entity]:
    for match in _PATTERN.finditer(text):
        yield Entity(NAME, match.start(), match.end(), match.group(), _value(match), "%",
                     match.group("more") == "多")


def _value(match: re.Match[str]) -> float | None:
    if match.group("of"):
        said = match.group("of")
        number = 100.0 if said == "百" else read_number(said)
        scale = 0.1 if match.group("per") == "千" else 1.0
        return None if number is None else number * scale
    if match.group("sign"):
        return read_number(match.group("sign"))
    number = read_number(match.group("points"))
    half = 0.5 if match.group("more") == "半" else 0.0
    return None if number is None else number + half
