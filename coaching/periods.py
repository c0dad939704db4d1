"""Reporting periods (week, month, quarter) with time-zone-aware boundaries.

A period is the half-open interval [start, end) in the call centre's time zone, so a ticket
opened at 2026-10-31T17:30Z belongs to November in Asia/Shanghai (01:30 local time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo

PeriodKind = Literal["week", "month", "quarter"]
DEFAULT_TIMEZONE = ZoneInfo("Asia/Shanghai")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Period:
    """One reporting period: `label` such as 2026-10, 2026-W44 or 2026-Q4."""

    kind: PeriodKind
    label: str
    start: datetime
    end: datetime

    def contains(self, moment: datetime) -> bool:
        """True when `moment` (aware, or naive in the period's time zone) is inside."""
        return self.start <= localize(moment, self.start.tzinfo) < self.end

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        tz = self.start.tzinfo or DEFAULT_TIMEZONE
        return period_containing(self.kind, self.start - timedelta(days=1), tz)

    def days(self) -> list[date]:
        """The calendar days of the period, in order."""
        first, last = self.start.date(), (self.end - timedelta(seconds=1)).date()
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def localize(moment: datetime, tz: tzinfo | None) -> datetime:
    """A naive `moment` is read as local time in `tz`; an aware one is converted to `tz`."""
    zone = tz or DEFAULT_TIMEZONE
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def parse_period(text: str, tz: tzinfo = DEFAULT_TIMEZONE) -> Period:
    """Parse `2026-10` (month), `2026-W44` (ISO week) or `2026-Q4` (quarter).

    Raises ValueError with the accepted forms when `text` is none of them.
    """
    value = text.strip()
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is not 01–12 in period {text!r}")
        return period_containing("month", datetime(year, month, 1), tz)
    if match := _WEEK.match(value):
        try:
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError as exc:
            raise ValueError(f"no ISO week {text!r}: {exc}") from None
        return period_containing("week", datetime.combine(monday, datetime.min.time()), tz)
    if match := _QUARTER.match(value):
        month = (int(match[2]) - 1) * 3 + 1
        return period_containing("quarter", datetime(int(match[1]), month, 1), tz)
    raise ValueError(f"period {text!r} is not YYYY-MM, YYYY-Www or YYYY-Qn (e.g. 2026-10)")


def period_containing(kind: PeriodKind, moment: datetime, tz: tzinfo = DEFAULT_TIMEZONE) -> Period:
    """The period of `kind` that contains `moment` (read in `tz`)."""
    local = localize(moment, tz).replace(tzinfo=None)
    if kind == "week":
        first = local.date() - timedelta(days=local.weekday())
        after = first + timedelta(days=7)
        iso = first.isocalendar()
        label = f"{iso.year}-W{iso.week:02d}"
    elif kind == "month":
        first = local.date().replace(day=1)
        after = _add_months(first, 1)
        label = f"{first.year}-{first.month:02d}"
    else:
        first = local.date().replace(month=(local.month - 1) // 3 * 3 + 1, day=1)
        after = _add_months(first, 3)
        label = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return Period(kind, label, _midnight(first, tz), _midnight(after, tz))


def previous_periods(period: Period, count: int) -> list[Period]:
    """The `count` periods before `period`, oldest first."""
    found: list[Period] = []
    current = period
    for _ in range(count):
        current = current.previous()
        found.append(current)
    return list(reversed(found))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz)
