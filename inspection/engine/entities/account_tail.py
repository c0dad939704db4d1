"""`@account_tail`: the last digits of a card or account number, said with its cue.

Reads: 尾号5520, 尾号是五五二零, 尾号为6621, 尾数6621, 后四位5520, 卡号后四位是1234, 末四位,
后六位 … each followed by 3 to 6 digits (Arabic or read out: 五五二零, 六六二幺). The value is
the digits ("5520").

Not: a cue without digits ("请报一下身份证后四位", "尾号多少"): that is the agent asking,
which an identity check does, not an account detail disclosed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from inspection.engine.entities.entity import Entity
from inspection.engine.entities.numerals import CN_DIGIT, read_digits

NAME = "account_tail"
LABEL = "卡号尾号"

CUES = "尾号|尾数|末尾|末[四六]位|后[四六]位|最后[四六]位|末[46]位|后[46]位"
_PATTERN = re.compile(
    f"(?:{CUES})(?:是|为)?(?P<digits>[0-9]{{3,6}}+|[{CN_DIGIT}]{{3,6}}+)"
    f"(?![0-9{CN_DIGIT}十百千万])")


def find(text: str) -> Iterator[Entity]:
    for match in _PATTERN.finditer(text):
        yield Entity(NAME, match.start(), match.end(), match.group(),
                     read_digits(match.group("digits")))
