"""Coaching's inputs and outputs in rows: inspected conversations and tickets in, scorecards and
coaching plans out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from coaching import tickets as coaching_tickets
from coaching.metrics import Inspected
from inspection.scoring import ScoringPolicy
from models.page_queries import all_finished
from models.repository.conversations import core_conversation
from models.repository.results import current_result
from models.tickets import CoachingPlan, Scorecard, Ticket


def stored_inspections(session: Session, policy: ScoringPolicy) -> list[Inspected]:
    """Every finished conversation with its current verdict (reviews and appeals applied),
    read in a fixed number of queries (not two per conversation)."""
    return [(core_conversation(row, utterances), current_result(row, findings, policy))
            for row, utterances, findings in all_finished(session)]


def stored_tickets(session: Session) -> tuple[coaching_tickets.Ticket, ...]:
    return tuple(coaching_tickets.Ticket.model_validate(row.data)
                 for row in session.exec(select(Ticket)))


def ticket_owners(session: Session, *, ticket_ids: Sequence[str]) -> dict[str, str]:
    """The agent each already stored ticket of `ticket_ids` belongs to."""
    query = select(Ticket.id, Ticket.agent_id).where(col(Ticket.id).in_(list(ticket_ids)))
    return {ticket_id: agent_id for ticket_id, agent_id in session.exec(query)}


def save_tickets(session: Session, *, tickets: Sequence[coaching_tickets.Ticket]) -> None:
    """Store tickets, replacing those with the same ticket ids."""
    ids = [t.ticket_id for t in tickets]
    existing = {row.id: row for row in session.exec(
        select(Ticket).where(col(Ticket.id).in_(ids)))}
    for ticket in tickets:
        data = ticket.model_dump(mode="json")
        row = existing.get(ticket.ticket_id)
        if row is None:
            session.add(Ticket(id=ticket.ticket_id, agent_id=ticket.agent_id, data=data))
        else:
            row.agent_id, row.data = ticket.agent_id, data
            session.add(row)
    session.flush()


def save_scorecard(session: Session, *, agent_id: str, period: str, template: str,
                   card: dict[str, Any]) -> None:
    """Keep an agent's scorecard of a period and template, and their coaching plan (its
    recommendations), replacing earlier ones."""
    keys = {"agent_id": agent_id, "period": period}
    _upsert(session, Scorecard, {**keys, "template": template}, {"data": card})
    _upsert(session, CoachingPlan, keys, {"data": {"recommendations": card["recommendations"]}})


def _upsert(session: Session, table: Any, keys: dict[str, Any], values: dict[str, Any]) -> None:
    query = select(table)
    for name, value in keys.items():
        query = query.where(getattr(table, name) == value)
    row = session.exec(query).first()
    if row is None:
        row = table(**keys, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.add(row)
