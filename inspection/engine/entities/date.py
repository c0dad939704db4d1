"""`@date`: a calendar day or a named one, as agents set due dates.

Reads: 二〇二六年三月十五日, 2026年3月, 3月15号, 三月份, 十五号, 25日, 2026-03-15,
月底 / 月初 / 月中 / 年底, 下个月五号, 这个月底, 下个月, 下周二, 这礼拜五, 周五, 星期天,
今天 / 明天 / 后天 / 昨天. The value is "YYYY-MM-DD" with unknown parts as "??"
("????-03-15"), or the words as said for a relative day ("下周二").

Not: a day number above 31 or one inside a longer number ("三幺零九号" is a 工号), 号 in
号码 / 号线 / 号楼, "三个月" (a `@duration`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from inspection.engine.entities.entity import Entity
from inspection.engine.entities.numerals import CN_DIGIT, CN_MAGNITUDE, read_digits, read_number

NAME = "date"
LABEL = "日期"

_NUM = f"(?:\\d{{1,2}}|[{CN_DIGIT}十]{{1,3}}+)"
# Year, month and day, each optional (an empty match is skipped): 2026年3月15日, 3月, 15号.
# It starts on a numeral: otherwise every position would be an empty match.
_CALENDAR = (f"(?<![0-9{CN_DIGIT}{CN_MAGNITUDE}第])(?=[0-9{CN_DIGIT}十])"
             f"(?:(?P<year>\\d{{4}}|[{CN_DIGIT}]{{4}})年)?"
             f"(?:(?P<month>{_NUM})月份?)?"
             f"(?:(?P<day>{_NUM})[号日](?![码线楼房床位口门]))?")
_RELATIVE = "|".join((
    f"(?:这|本|下下|下|上)个?(?:月|周|星期|礼拜)(?:{_NUM}[号日]|[一二三四五六日天末底初中])?",
    "(?:月|年)(?:底|初|中|末)",
    "(?:周|星期|礼拜)[一二三四五六日天末]",
    "大后天|后天|明天|今天|昨天|前天|今日|明日",
))
_PATTERN = re.compile(
    rf"(?P<iso>\d{{4}})[-/](?P<iso_month>\d{{1,2}})[-/](?P<iso_day>\d{{1,2}})"
    f"|(?P<relative>{_RELATIVE})|{_CALENDAR}")


def find(text: str) -> Iterator[Entity]:
    for match in _PATTERN.finditer(text):
        value = _value(match) if match.group() else None
        if value is not None:
            yield Entity(NAME, match.start(), match.end(), match.group(), value)


def _value(match: re.Match[str]) -> str | None:
    """The day as "YYYY-MM-DD" ("??" for parts not said), the words for a relative day, or
    None when a part is out of range (not a date)."""
    if match.group("relative"):
        return match.group()
    if match.group("iso"):
        year: str | None = match.group("iso")
        month: int | None = int(match.group("iso_month"))
        day: int | None = int(match.group("iso_day"))
    else:
        year = read_digits(match.group("year")) if match.group("year") else None
        month, day = _int(match.group("month")), _int(match.group("day"))
    if not (_within(month, 12) and _within(day, 31)):
        return None
    return "-".join((year or "????", "??" if month is None else f"{month:02d}",
                     "??" if day is None else f"{day:02d}"))


def _within(part: int | None, highest: int) -> bool:
    return part is None or 1 <= part <= highest


def _int(said: str | None) -> int | None:
    if said is None:
        return None
    value = read_number(said)
    return int(value) if value is not None and value.is_integer() else -1
