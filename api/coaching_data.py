"""Rebuild coaching inputs from what is stored: inspected conversations and tickets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlmodel import Session, col, select

from api.storage import current_result
from coaching import CoachingInputs, PeriodReport, Ticket, build_report, load_template, parse_period
from coaching.metrics import Inspected
from coaching.template_model import list_templates
from coaching.tickets import TicketImport, parse_ticket_rows
from inspection.errors import InvalidInputError, NotFoundError
from inspection.loaders import conversation_from_dict
from inspection.scoring import ScoringPolicy
from inspection.types import Conversation as CoreConversation
from inspection.types import InspectionResult
from models import Conversation
from models import Ticket as TicketRow
from models.queries import findings_of, utterances_of


def stored_inspections(session: Session, policy: ScoringPolicy) -> list[Inspected]:
    """Every finished conversation with its current verdict (reviews and appeals applied)."""
    rows = session.exec(select(Conversation).where(Conversation.status == "done")).all()
    return [(_core_conversation(session, row), _current_result(session, row, policy))
            for row in rows]


def _core_conversation(session: Session, row: Conversation) -> CoreConversation:
    utterances = [
        {"role": u.role, "start": u.start, "end": u.end, "text": u.text, "confidence": u.confidence}
        for u in utterances_of(session, conversation_id=row.id)
    ]
    data = {"id": row.id, "channel": row.channel, "direction": row.direction,
            "industry": row.industry, "agent_id": row.agent_id, "started_at": row.started_at,
            "metadata": row.meta, "roles_inferred": row.roles_inferred,
            "utterances": utterances or [{"role": "agent", "text": ""}]}
    return conversation_from_dict(data, source=f"conversation {row.id}")


def _current_result(session: Session, row: Conversation, policy: ScoringPolicy) -> InspectionResult:
    return current_result(row, findings_of(session, conversation_id=row.id), policy)


def stored_tickets(session: Session) -> tuple[Ticket, ...]:
    return tuple(Ticket.model_validate(row.data) for row in session.exec(select(TicketRow)))


def import_tickets(session: Session, text: str) -> TicketImport:
    """Validate ticket rows; store the good ones (replacing same ticket ids), report the rest."""
    result = parse_ticket_rows(csv.DictReader(io.StringIO(text)), source="tickets.csv")
    ids = [t.ticket_id for t in result.tickets]
    existing = {row.id: row for row in session.exec(
        select(TicketRow).where(col(TicketRow.id).in_(ids)))}
    for ticket in result.tickets:
        data = ticket.model_dump(mode="json")
        row = existing.get(ticket.ticket_id)
        if row is None:
            session.add(TicketRow(id=ticket.ticket_id, agent_id=ticket.agent_id, data=data))
        else:
            row.agent_id, row.data = ticket.agent_id, data
            session.add(row)
    session.flush()
    return result


def period_report(session: Session, policy: ScoringPolicy, *, period: str,
                  template: str) -> PeriodReport:
    if template not in list_templates():
        raise NotFoundError(f"没有评分模板 {template!r}（可用：{', '.join(list_templates())}）")
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise InvalidInputError("period", str(exc)) from None
    inputs = CoachingInputs(inspected=tuple(stored_inspections(session, policy)),
                            tickets=stored_tickets(session))
    return build_report(inputs, load_template(template), parsed)


def visible_agent_ids(report_agents: Sequence[str], allowed: set[str] | None) -> list[str]:
    return [a for a in report_agents if allowed is None or a in allowed]
