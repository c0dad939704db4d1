"""Ticket CSV import: good rows in, bad rows reported by line and reason and skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from coaching.dictionary import load_metric_dictionary
from coaching.manual import load_manual
from coaching.tickets import load_tickets
from inspection.errors import InvalidInputError

HEADER = (
    "ticket_id,agent_id,customer_id,issue_key,channel,opened_at,first_response_at,"
    "resolved_at,handle_seconds,csat,complaint,escalated\n"
)
GOOD = "T1,A017,C1,bill,voice,2026-10-05T10:00:00+08:00,2026-10-05T10:00:20+08:00,,300,5,0,否\n"


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "tickets.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_good_row(tmp_path: Path) -> None:
    result = load_tickets(write(tmp_path, GOOD))
    assert result.errors == ()
    (only,) = result.tickets
    assert only.first_response_seconds == 20.0
    assert only.csat == 5 and only.complaint is False and only.escalated is False
    assert only.resolved_at is None


def test_naive_times_are_read_in_the_call_centre_zone(tmp_path: Path) -> None:
    row = "T1,A017,C1,bill,chat,2026-10-05 10:00:00,,,,,是,1\n"
    (only,) = load_tickets(write(tmp_path, row)).tickets
    assert only.opened_at.isoformat() == "2026-10-05T10:00:00+08:00"
    assert only.complaint is True and only.escalated is True


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("T2,A017,C1,bill,voice,yesterday,,,,,,\n", "opened_at: 'yesterday' is not an ISO 8601"),
        ("T2,A017,C1,bill,voice,2026-10-05T10:00:00+08:00,,,,6,,\n", "csat"),
        ("T2,A017,C1,bill,voice,2026-10-05T10:00:00+08:00,,,-5,,,\n", "handle_seconds"),
        ("T2,,C1,bill,voice,2026-10-05T10:00:00+08:00,,,,,,\n", "agent_id"),
        ("T2,A017,C1,bill,voice,2026-10-05T10:00:00+08:00,,,,,maybe,\n", "complaint"),
        (
            "T2,A017,C1,bill,voice,2026-10-05T10:00:00+08:00,2026-10-05T09:00:00+08:00,,,,,\n",
            "first_response_at",
        ),
        ("T1,A017,C1,bill,voice,2026-10-05T10:00:00+08:00,,,,,,\n", "duplicate ticket_id"),
        ("T2,A017,C1,bill,voice,2026-10-05T10:00:00+08:00,,,,,,,extra\n", "more fields"),
    ],
)
def test_bad_row_reported_by_line_and_skipped(tmp_path: Path, row: str, reason: str) -> None:
    last = "T3,A023,C9,card,chat,2026-10-06T10:00:00+08:00,,,,4,,\n"
    result = load_tickets(write(tmp_path, GOOD + row + last))
    assert [t.ticket_id for t in result.tickets] == ["T1", "T3"]
    (error,) = result.errors
    assert error.line == 3
    assert reason in error.reason
    assert str(error).startswith(f"{tmp_path / 'tickets.csv'}: line 3: ")


def test_ticket_id_is_optional_and_derived_stably(tmp_path: Path) -> None:
    header = HEADER.removeprefix("ticket_id,")
    rows = ["A017,C1,bill,voice,2026-10-05T10:00:00+08:00,,,300,5,0,否\n",
            "A023,C9,card,chat,2026-10-06T10:00:00+08:00,,,,4,,\n"]
    first = load_tickets(write(tmp_path, "".join(rows), header=header))
    again = load_tickets(write(tmp_path, "".join(reversed(rows)), header=header))
    assert first.errors == () and len(first.tickets) == 2
    assert {t.ticket_id for t in first.tickets} == {t.ticket_id for t in again.tickets}
    assert all(t.ticket_id.startswith("T-") for t in first.tickets)
    assert first.tickets[0].ticket_id != first.tickets[1].ticket_id


def test_a_repeated_row_without_ticket_id_is_still_a_duplicate(tmp_path: Path) -> None:
    header = HEADER.removeprefix("ticket_id,")
    row = "A017,C1,bill,voice,2026-10-05T10:00:00+08:00,,,300,5,0,否\n"
    result = load_tickets(write(tmp_path, row + row, header=header))
    assert len(result.tickets) == 1
    (error,) = result.errors
    assert error.line == 3 and "duplicate ticket_id" in error.reason


def test_missing_column_rejects_the_file(tmp_path: Path) -> None:
    header = "ticket_id,agent_id,customer_id,channel,opened_at\n"
    with pytest.raises(InvalidInputError, match=r"line 1: missing column.*issue_key"):
        load_tickets(write(tmp_path, "", header=header))


def test_unknown_column_rejects_the_file(tmp_path: Path) -> None:
    header = HEADER.strip() + ",nps\n"
    with pytest.raises(InvalidInputError, match=r"unknown column.*nps"):
        load_tickets(write(tmp_path, "", header=header))


def test_manual_input_rows(tmp_path: Path) -> None:
    path = tmp_path / "manual.csv"
    path.write_text(
        "agent_id,period,metric,value\n"
        "A017,2026-10,knowledge_test_score,88\n"
        "A017,2026-10,csat_mean,5\n"  # computed metric: not manual input
        "A023,2026-13,knowledge_test_score,70\n"
        "A023,2026-10,knowledge_test_score,abc\n"
        "A017,2026-10,knowledge_test_score,90\n",
        encoding="utf-8",
    )
    result = load_manual(path, load_metric_dictionary())
    assert result.for_agent("A017", "2026-10") == {"knowledge_test_score": 88.0}
    assert [e.line for e in result.errors] == [3, 4, 5, 6]
    assert "not a manual-input metric" in result.errors[0].reason
    assert "duplicate" in result.errors[3].reason


def test_programmatic_ticket_needs_aware_times() -> None:
    from datetime import datetime

    from pydantic import ValidationError

    from coaching.tickets import Ticket

    with pytest.raises(ValidationError, match="UTC offset"):
        Ticket(
            ticket_id="T1",
            agent_id="A017",
            customer_id="C1",
            issue_key="bill",
            channel="voice",
            opened_at=datetime(2026, 10, 5, 10, 0),
        )
