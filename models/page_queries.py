"""Keyword-only queries the web pages need beyond `models.queries` (counts, bulk loads)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.conversations import Conversation, Finding, Utterance
from models.enums import UNFINISHED, ConversationStatus
from models.people import Agent, Team
from models.queries import ConversationFilter, filtered

_Row = TypeVar("_Row", Utterance, Finding)


@dataclass(frozen=True)
class QueueCounts:
    """What the review-queue page counts over the conversations the filter selects."""

    conversations: int
    done: int
    in_progress: int
    failed: int
    needs_review: int
    veto: int


def queue_counts(session: Session, *, filters: ConversationFilter) -> QueueCounts:
    """Counts of the filtered conversations by status, and of those awaiting review."""
    by_status = dict(session.exec(
        filtered(select(Conversation.status, func.count()), filters).group_by(Conversation.status)
    ).all())
    pending = filtered(select(Conversation.veto, Conversation.veto_pending, func.count()),
                       filters).where(
        Conversation.status == ConversationStatus.DONE,
        Conversation.needs_review == True,  # noqa: E712
    ).group_by(Conversation.veto, Conversation.veto_pending)
    awaiting: dict[bool, int] = {}
    for veto, veto_pending, count in session.exec(pending).all():
        key = bool(veto or veto_pending)  # a veto awaiting confirmation counts as a veto here
        awaiting[key] = awaiting.get(key, 0) + int(count)
    return QueueCounts(
        conversations=sum(int(n) for n in by_status.values()),
        done=int(by_status.get(ConversationStatus.DONE, 0)),
        in_progress=sum(int(by_status.get(status, 0)) for status in UNFINISHED),
        failed=int(by_status.get(ConversationStatus.FAILED, 0)),
        needs_review=sum(awaiting.values()),
        veto=awaiting.get(True, 0),
    )


def list_teams(session: Session) -> list[Team]:
    return list(session.exec(select(Team).order_by(col(Team.id))))


def list_agents(session: Session, *, team_id: str | None = None) -> list[Agent]:
    query = select(Agent).order_by(col(Agent.id))
    if team_id is not None:
        query = query.where(Agent.team_id == team_id)
    return list(session.exec(query))


@dataclass(frozen=True)
class StoredConversation:
    """A finished conversation with its utterances and findings, for coaching."""

    row: Conversation
    utterances: tuple[Utterance, ...]
    findings: tuple[Finding, ...]


def finished_conversations(session: Session, *, agent_ids: Sequence[str], since: datetime,
                           until: datetime) -> list[StoredConversation]:
    """The agents' `done` conversations that started in [since, until) (aware), loaded in bulk."""
    if not agent_ids:
        return []
    rows = list(session.exec(select(Conversation).where(
        col(Conversation.agent_id).in_(list(agent_ids)),
        Conversation.status == ConversationStatus.DONE,
        col(Conversation.started_at) >= since, col(Conversation.started_at) < until,
    ).order_by(col(Conversation.started_at))))
    ids = [row.id for row in rows]
    utterances: dict[str, list[Utterance]] = {cid: [] for cid in ids}
    findings: dict[str, list[Finding]] = {cid: [] for cid in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for u in session.exec(select(Utterance).where(col(Utterance.conversation_id).in_(chunk))
                              .order_by(col(Utterance.index))):
            utterances[u.conversation_id].append(u)
        for f in session.exec(select(Finding).where(col(Finding.conversation_id).in_(chunk))
                              .order_by(col(Finding.id))):
            findings[f.conversation_id].append(f)
    return [StoredConversation(row, tuple(utterances[row.id]), tuple(findings[row.id]))
            for row in rows]


def all_finished(session: Session) -> list[tuple[Conversation, list[Utterance], list[Finding]]]:
    """Every `done` conversation with its utterances (in order) and findings: three queries,
    however many conversations there are."""
    done = Conversation.status == ConversationStatus.DONE
    rows = list(session.exec(select(Conversation).where(done).order_by(col(Conversation.id))))
    utterances = _of_done(session, Utterance, col(Utterance.index))
    findings = _of_done(session, Finding, col(Finding.id))
    return [(row, utterances.get(row.id, []), findings.get(row.id, [])) for row in rows]


def _of_done(session: Session, table: type[_Row], order: Any) -> dict[str, list[_Row]]:
    """The rows of `table` that belong to `done` conversations, by conversation id, in `order`."""
    by_conversation: dict[str, list[_Row]] = {}
    query = (select(table).join(Conversation, col(Conversation.id) == col(table.conversation_id))
             .where(Conversation.status == ConversationStatus.DONE)
             .order_by(col(table.conversation_id), order))
    for row in session.exec(query):
        by_conversation.setdefault(row.conversation_id, []).append(row)
    return by_conversation


def latest_start(session: Session, *, agent_ids: Sequence[str]) -> datetime | None:
    """When the newest of these agents' conversations started (None without any)."""
    if not agent_ids:
        return None
    query = select(func.max(Conversation.started_at)).where(
        col(Conversation.agent_id).in_(list(agent_ids)))
    value: datetime | None = session.exec(query).one()
    return value
