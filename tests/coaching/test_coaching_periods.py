"""Periods, their time-zone-aware boundaries, and slicing the inputs by period."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.dataset import CoachingInputs, slice_period
from coaching.periods import parse_period, previous_periods
from tests.coaching.coaching_builders import at, inspected, ticket

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026-10", "2026-10", "2026-10-01", "2026-11-01"),
        ("2026-12", "2026-12", "2026-12-01", "2027-01-01"),
        ("2026-W44", "2026-W44", "2026-10-26", "2026-11-02"),
        ("2026-W01", "2026-W01", "2025-12-29", "2026-01-05"),
        ("2026-Q4", "2026-Q4", "2026-10-01", "2027-01-01"),
        ("2026-Q1", "2026-Q1", "2026-01-01", "2026-04-01"),
    ],
)
def test_parse_period(text: str, label: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert period.label == label
    assert period.start == datetime.fromisoformat(start).replace(tzinfo=SHANGHAI)
    assert period.end == datetime.fromisoformat(end).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize("text", ["2026-13", "2026/10", "2026-W54", "2026-Q5", "October"])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(ValueError, match=r"period|month|week"):
        parse_period(text)


def test_previous_periods() -> None:
    assert [p.label for p in previous_periods(parse_period("2026-01"), 2)] == ["2025-11", "2025-12"]
    assert [p.label for p in previous_periods(parse_period("2026-Q1"), 1)] == ["2025-Q4"]
    assert [p.label for p in previous_periods(parse_period("2026-W01"), 1)] == ["2025-W52"]


@pytest.mark.parametrize(
    ("opened", "in_october"),
    [
        ("2026-09-30T16:00:00+00:00", True),  # = 10-01 00:00 in Shanghai: start is inclusive
        ("2026-09-30T15:59:59+00:00", False),
        ("2026-10-31T23:59:59+08:00", True),
        ("2026-10-31T17:30:00+00:00", False),  # = 11-01 01:30 in Shanghai
        ("2026-11-01T00:00:00+08:00", False),  # end is exclusive
    ],
)
def test_ticket_period_boundaries_in_local_time(opened: str, in_october: bool) -> None:
    inputs = CoachingInputs(tickets=(ticket("T1", opened=opened),))
    assert bool(slice_period(inputs, parse_period("2026-10"))) is in_october


def test_period_in_another_time_zone() -> None:
    moment = "2026-10-31T17:30:00+00:00"
    inputs = CoachingInputs(tickets=(ticket("T1", opened=moment),), tz=UTC)
    assert slice_period(inputs, parse_period("2026-10", UTC))


def test_conversations_sliced_by_start_naive_read_in_zone() -> None:
    naive = inspected("c-naive")
    conversation = naive[0].model_copy(update={"started_at": datetime(2026, 10, 31, 23, 30)})
    items = (
        (conversation, naive[1]),
        inspected("c-nov", started="2026-11-01 00:10"),
        inspected("c-none", started=None),  # no start time: cannot be placed
    )
    per_agent = slice_period(CoachingInputs(inspected=items), parse_period("2026-10"))
    assert [c.id for c, _ in per_agent["A017"].inspected] == ["c-naive"]


def test_agents_from_tickets_and_conversations() -> None:
    inputs = CoachingInputs(
        inspected=(inspected("c1", agent="A031"),),
        tickets=(ticket("T1", agent="A017"), ticket("T2", agent="A023", opened="2026-09-05 10:00")),
    )
    assert sorted(slice_period(inputs, parse_period("2026-10"))) == ["A017", "A031"]
    assert at("2026-10-05 10:00").utcoffset() is not None
