"""`@duration`: a length of time or a number of instalments.

Reads: 三个月, 一个多月, 十一天, 四十多天, 两年, 一年半, 半年, 半个月, 三周, 两个礼拜,
12期, 二十四期, 48小时, 十分钟. The value is the count in its `unit` (年/月/周/天/期/小时/
分钟/秒): 三个月 → 3.0 月, 一年半 → 1.5 年, 半年 → 0.5 年.

Not: an ordinal ("第三年"), a calendar month or year ("三月", "2026年": `@date`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from inspection.engine.entities.entity import Entity
from inspection.engine.entities.numerals import (
    AR_NUMBER,
    CN_DIGIT,
    CN_MAGNITUDE,
    CN_NUMBER,
    read_number,
)

NAME = "duration"
LABEL = "期限"

_UNITS = {"个月": "月", "年": "年", "周": "周", "个星期": "周", "个礼拜": "周", "星期": "周",
          "礼拜": "周", "天": "天", "期": "期", "个小时": "小时", "小时": "小时", "钟头": "小时",
          "个钟头": "小时", "分钟": "分钟", "秒": "秒", "个工作日": "天", "工作日": "天"}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_START = f"(?<![0-9{CN_DIGIT}{CN_MAGNITUDE}第.。])"
_PATTERN = re.compile(
    f"{_START}(?P<count>{CN_NUMBER}|{AR_NUMBER})(?P<more>多|半)?"
    f"(?P<unit>个多月|个半月|{_UNIT})(?P<half>半)?"
    f"|(?P<only_half>半)(?P<half_unit>个月|年|天|小时|个小时|个钟头)")


def find(text: str) -> Iterator[Entity]:
    for match in _PATTERN.finditer(text):
        if match.group("only_half"):
            yield Entity(NAME, match.start(), match.end(), match.group(), 0.5,
                         _UNITS[match.group("half_unit")])
            continue
        unit = match.group("unit")
        more = match.group("more") or ("多" if unit == "个多月" else "半" if unit == "个半月" else "")
        count = read_number(match.group("count"))
        half = 0.5 if "半" in (more, match.group("half")) else 0.0
        yield Entity(NAME, match.start(), match.end(), match.group(),
                     None if count is None else count + half,
                     _UNITS.get(unit, "月"), more == "多")
