"""Ticket CSV import: good rows are stored (replacing the same ticket ids), bad rows reported by
line and skipped (columns in docs/coaching.md).

Scope: a supervisor imports only tickets of agents in their own team (the agent record's team).
A row for any other agent — or one that would replace a ticket held by another team's agent —
is rejected and reported by line, never stored. Every import is audited: who, how many rows
were imported, skipped and rejected, and for which agents.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import Session

from api.runtime import Runtime
from api.services.access import Principal
from api.services.uploads import csv_upload_text
from coaching.tickets import RowError, Ticket, TicketImport, parse_ticket_rows
from inspection.errors import InvalidInputError
from models.enums import REVIEWERS
from models.page_queries import list_agents
from models.queries import append_audit
from models.repository import save_tickets, ticket_owners

TICKETS_SOURCE = "tickets.csv"
MAX_TICKETS_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class TicketReport:
    """What an import did: the tickets stored, the malformed rows skipped, the rows rejected
    because they concern agents outside the caller's team."""

    imported: tuple[Ticket, ...]
    errors: tuple[RowError, ...]
    rejected: tuple[RowError, ...] = ()
    rejected_agents: frozenset[str] = frozenset()


def import_tickets(runtime: Runtime, principal: Principal, body: bytes) -> TicketReport:
    """Check, parse, scope and store an uploaded ticket CSV, audited, in one transaction."""
    parsed, lines = parse_ticket_csv(body)
    with runtime.session() as session:
        report = _scoped(session, principal, parsed, lines)
        save_tickets(session, tickets=report.imported)
        append_audit(session, actor=principal.actor, action="tickets.imported", entity="tickets",
                     entity_id=TICKETS_SOURCE, before=None, after=_audit_details(report))
    return report


class _LineTrackingReader(csv.DictReader):
    """A DictReader that remembers the line each row ended on."""

    def __init__(self, text: str) -> None:
        super().__init__(io.StringIO(text))
        self.lines: list[int] = []

    def __next__(self) -> dict[str, str]:
        row = super().__next__()
        self.lines.append(self.line_num)
        return row


def parse_ticket_csv(body: bytes) -> tuple[TicketImport, list[int]]:
    """The rows of an uploaded ticket CSV (no database: `ZhijianError`s are the only errors bad
    input can raise), and the line of each ticket. A row whose ids do not fit the table is a
    bad row like any other."""
    text = csv_upload_text(body, source=TICKETS_SOURCE, limit=MAX_TICKETS_BYTES, what="工单文件")
    reader = _LineTrackingReader(text)
    try:
        parsed = parse_ticket_rows(reader, source=TICKETS_SOURCE)
    except csv.Error as exc:
        raise InvalidInputError(TICKETS_SOURCE, f"CSV 格式错误：{exc}",
                                f"line {reader.line_num}") from None
    return _fitting(parsed, reader.lines)


def _fitting(parsed: TicketImport, all_lines: list[int]) -> tuple[TicketImport, list[int]]:
    """Tickets whose ids fit their columns, with their lines; the others become row errors."""
    failed = {error.line for error in parsed.errors}
    lines = [line for line in all_lines if line not in failed]
    kept: list[Ticket] = []
    kept_lines: list[int] = []
    errors = list(parsed.errors)
    for ticket, line in zip(parsed.tickets, lines, strict=True):
        too_long = [name for name, value, limit in (("ticket_id", ticket.ticket_id, 200),
                                                    ("agent_id", ticket.agent_id, 100))
                    if len(value) > limit]
        if too_long:
            errors.append(RowError(TICKETS_SOURCE, line, f"{too_long[0]} 过长"))
        else:
            kept.append(ticket)
            kept_lines.append(line)
    return TicketImport(tuple(kept), tuple(sorted(errors, key=lambda e: e.line))), kept_lines


def _scoped(session: Session, principal: Principal, parsed: TicketImport, lines: list[int]
            ) -> TicketReport:
    allowed = _allowed_agents(session, principal)
    if allowed is None:
        return TicketReport(parsed.tickets, parsed.errors)
    owners = ticket_owners(session, ticket_ids=[t.ticket_id for t in parsed.tickets])
    imported: list[Ticket] = []
    rejected: list[RowError] = []
    outsiders: set[str] = set()
    for ticket, line in zip(parsed.tickets, lines, strict=True):
        outside = next((agent for agent in _agents_touched(ticket, owners)
                        if agent not in allowed), None)
        if outside is None:
            imported.append(ticket)
        else:
            outsiders.add(outside)
            rejected.append(RowError(TICKETS_SOURCE, line, f"工单 {ticket.ticket_id} 属于坐席 "
                                     f"{outside}，不在你的班组：未导入"))
    return TicketReport(tuple(imported), parsed.errors, tuple(rejected), frozenset(outsiders))


def _allowed_agents(session: Session, principal: Principal) -> set[str] | None:
    """The agents whose tickets `principal` may write (None: all)."""
    if principal.role in REVIEWERS:
        return None
    return {agent.id for agent in list_agents(session, team_id=principal.team_id or "")}


def _agents_touched(ticket: Ticket, owners: dict[str, str]) -> Iterator[str]:
    yield ticket.agent_id
    if ticket.ticket_id in owners:
        yield owners[ticket.ticket_id]


def _audit_details(report: TicketReport) -> dict[str, object]:
    return {"imported": len(report.imported), "skipped": len(report.errors),
            "rejected": len(report.rejected),
            "agents": sorted({ticket.agent_id for ticket in report.imported}),
            "rejected_agents": sorted(report.rejected_agents)}
