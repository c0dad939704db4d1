"""`@phone`: a telephone or hotline number, however ASR wrote it.

Reads digit strings, Arabic or read out (一二三一五, 幺二三幺五), that ASR may split with
spaces or hyphens ("12 3 15", "400-820-8820"), when the digits have a telephone's shape:
a mobile (11 digits from 13–19), a 5-digit service number (123xx, 95xxx, 96xxx, 100xx, not
ending in 00: 12315, 95588, 10086), a 400/800 number, a landline with its area code (0 and
10–12 digits) or a local one (7–8 digits). The value is the digits ("12315").

Not: 4-digit 工号 or tails ("三幺五七", "5520"), amounts ("15000"), ID or card numbers (too
long; the redaction stage masks them anyway: a masked "[手机号]" is no longer a number).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from inspection.engine.entities.entity import Entity
from inspection.engine.entities.numerals import CN_DIGIT, CN_MAGNITUDE, read_digits

NAME = "phone"
LABEL = "电话号码"

_SHAPES = re.compile(
    r"1[3-9]\d{9}|(?:12[0-9]|95\d|96\d|100)(?!00)\d{2}|[48]00\d{7}|0\d{9,11}|[2-9]\d{6,7}")
_PATTERN = re.compile(
    rf"(?<![0-9.。])\d++(?:[ -]\d++)*+(?![0-9.。%])"
    f"|(?<![{CN_DIGIT}{CN_MAGNITUDE}])[{CN_DIGIT}]{{5,12}}+(?![{CN_DIGIT}{CN_MAGNITUDE}])")


def find(text: str) -> Iterator[Entity]:
    for match in _PATTERN.finditer(text):
        digits = read_digits(match.group())
        if _SHAPES.fullmatch(digits):
            yield Entity(NAME, match.start(), match.end(), match.group(), digits)
