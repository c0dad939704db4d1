"""Keyword-only query helpers: the only place SQL is written."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, exists, func, insert, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete, select

from inspection.redaction import redact_value
from models.audit import APPENDED_KEY, GENESIS_HASH, AuditEntry, AuditHead, ChainWalk, entry_digest
from models.conversations import Conversation, Finding, Utterance
from models.enums import AppealState, ConversationStatus, ReviewState
from models.people import Agent, Team, User, utc_now
from models.reviews import Appeal, Review


def get_user_by_token_hash(session: Session, *, token_hash: str) -> User | None:
    return session.exec(select(User).where(User.token_hash == token_hash)).first()


def _insert_ignoring_duplicates(session: Session, table: Any, values: dict[str, Any]) -> None:
    """INSERT … ON CONFLICT DO NOTHING: safe when two requests create the same row at once."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing()
    session.execute(statement)


def ensure_team(session: Session, *, team_id: str) -> Team:
    if session.get(Team, team_id) is None:
        _insert_ignoring_duplicates(session, Team, {"id": team_id, "name": team_id})
    team = session.get(Team, team_id)
    assert team is not None
    return team


def ensure_agent(session: Session, *, agent_id: str, team_id: str | None = None) -> Agent:
    """The agent record (an admin's path: `zhijian users create`): created when new; an agent
    without a team joins `team_id`, its conversations with it."""
    if team_id:
        ensure_team(session, team_id=team_id)
    if session.get(Agent, agent_id) is None:
        _insert_ignoring_duplicates(session, Agent, {"id": agent_id, "team_id": team_id})
    agent = session.get(Agent, agent_id, populate_existing=True)
    assert agent is not None
    if team_id and agent.team_id is None:
        assign_agent_team(session, agent_id=agent_id, team_id=team_id)
    return agent


def agent_seen(session: Session, *, agent_id: str, team_id: str | None = None) -> None:
    """An agent named by a conversation: created in `team_id` when new. An existing agent keeps
    its team (conversation metadata never moves an agent)."""
    if session.get(Agent, agent_id) is not None:
        return
    if team_id:
        ensure_team(session, team_id=team_id)
    _insert_ignoring_duplicates(session, Agent, {"id": agent_id, "team_id": team_id})


def assign_agent_team(session: Session, *, agent_id: str, team_id: str | None) -> None:
    """Put an agent in a team (an admin's decision), and its conversations with it: a
    supervisor's scope follows the agent record."""
    if team_id:
        ensure_team(session, team_id=team_id)
    session.exec(update(Agent).where(col(Agent.id) == agent_id).values(team_id=team_id))
    session.exec(update(Conversation)
                 .where(col(Conversation.agent_id) == agent_id).values(team_id=team_id))


def team_of_agent(agent_id: str) -> Any:
    """The agent record's team as a scalar subquery (for an INSERT to evaluate)."""
    return select(Agent.team_id).where(Agent.id == agent_id).scalar_subquery()


@dataclass(frozen=True)
class ConversationFilter:
    agent_id: str | None = None
    team_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    rule_id: str | None = None
    veto: bool | None = None
    needs_review: bool | None = None
    min_score: float | None = None
    max_score: float | None = None
    status: str | None = None
    visible_agent_ids: Sequence[str] | None = None  # None: no restriction
    visible_team_id: str | None = None


def list_conversations(session: Session, *, filters: ConversationFilter, limit: int = 50,
                       offset: int = 0) -> list[Conversation]:
    query = filtered(select(Conversation), filters)
    query = query.order_by(col(Conversation.created_at).desc(), col(Conversation.id))
    return list(session.exec(query.offset(offset).limit(limit)))


def filtered(query: Any, f: ConversationFilter) -> Any:
    conditions: list[Any] = []
    if f.agent_id:
        conditions.append(Conversation.agent_id == f.agent_id)
    if f.team_id:
        conditions.append(Conversation.team_id == f.team_id)
    if f.since:
        conditions.append(col(Conversation.started_at) >= f.since)
    if f.until:
        conditions.append(col(Conversation.started_at) < f.until)
    if f.veto is not None:
        conditions.append(Conversation.veto == f.veto)
    if f.needs_review is not None:
        conditions.append(Conversation.needs_review == f.needs_review)
    if f.min_score is not None:
        conditions.append(col(Conversation.score) >= f.min_score)
    if f.max_score is not None:
        conditions.append(col(Conversation.score) <= f.max_score)
    if f.status:
        conditions.append(Conversation.status == f.status)
    if f.visible_agent_ids is not None:
        conditions.append(col(Conversation.agent_id).in_(list(f.visible_agent_ids)))
    if f.visible_team_id is not None:
        conditions.append(Conversation.team_id == f.visible_team_id)
    if f.rule_id:
        with_rule = select(Finding.conversation_id).where(Finding.rule_id == f.rule_id)
        conditions.append(col(Conversation.id).in_(with_rule))
    return query.where(*conditions) if conditions else query


def review_queue(session: Session, *, filters: ConversationFilter, limit: int = 50
                 ) -> list[Conversation]:
    """Conversations awaiting a reviewer: vetoes first (pending or applied), then needs_review,
    then low scores."""
    query = filtered(select(Conversation), filters).where(
        Conversation.status == ConversationStatus.DONE,
        Conversation.needs_review == True,  # noqa: E712
    )
    query = query.order_by(col(Conversation.veto_pending).desc(), col(Conversation.veto).desc(),
                           col(Conversation.score).asc(), col(Conversation.created_at))
    return list(session.exec(query.limit(limit)))


def utterances_of(session: Session, *, conversation_id: str) -> list[Utterance]:
    query = select(Utterance).where(Utterance.conversation_id == conversation_id)
    return list(session.exec(query.order_by(col(Utterance.index))))


def findings_of(session: Session, *, conversation_id: str) -> list[Finding]:
    query = select(Finding).where(Finding.conversation_id == conversation_id)
    return list(session.exec(query.order_by(col(Finding.id))))


def lock_conversation(session: Session, *, conversation_id: str
                      ) -> tuple[Conversation, bool] | None:
    """The conversation, locked until the transaction ends (FOR UPDATE on PostgreSQL), and
    whether it already has stored results: one round trip. None when there is no such id."""
    has_results = exists().where(col(Utterance.conversation_id) == col(Conversation.id))
    query = (select(Conversation, has_results).where(Conversation.id == conversation_id)
             .with_for_update(of=Conversation))
    found = session.exec(query).first()
    return None if found is None else (found[0], bool(found[1]))


def replace_results(session: Session, *, conversation_id: str,
                    utterances: Sequence[dict[str, Any]], findings: Sequence[dict[str, Any]],
                    has_results: bool) -> None:
    """Swap a conversation's utterances and findings (column → value rows) for new ones, in
    one INSERT per table: idempotent re-runs, and far cheaper than one ORM object per row.
    `has_results` False (the caller just checked, under lock) skips the old rows' removal."""
    if has_results:
        _delete_results(session, conversation_id)
    now = utc_now()
    if utterances:
        session.execute(insert(Utterance.__table__), [  # type: ignore[attr-defined]
            {**u, "conversation_id": conversation_id} for u in utterances])
    if findings:
        session.execute(insert(Finding.__table__), [  # type: ignore[attr-defined]
            {**f, "conversation_id": conversation_id, "review_state": ReviewState.PENDING,
             "appeal_state": AppealState.NONE, "created_at": now} for f in findings])


def _delete_results(session: Session, conversation_id: str) -> None:
    finding_ids = select(Finding.id).where(Finding.conversation_id == conversation_id)
    session.exec(delete(Review).where(col(Review.finding_id).in_(finding_ids)))
    session.exec(delete(Appeal).where(col(Appeal.finding_id).in_(finding_ids)))
    session.exec(delete(Finding).where(col(Finding.conversation_id) == conversation_id))
    session.exec(delete(Utterance).where(col(Utterance.conversation_id) == conversation_id))


def open_appeal_for(session: Session, *, finding_id: int) -> Appeal | None:
    return session.exec(select(Appeal).where(Appeal.finding_id == finding_id)).first()


def rule_outcomes(session: Session) -> list[dict[str, Any]]:
    """Per rule: findings, reviewer confirmations/overturns, appeals upheld/overturned."""
    findings = session.exec(
        select(Finding.rule_id, func.count()).group_by(Finding.rule_id)
    ).all()
    reviews = session.exec(select(
        Review.rule_id,
        func.sum(case((col(Review.decision) == "confirm", 1), else_=0)),
        func.sum(case((col(Review.decision) == "overturn", 1), else_=0)),
    ).group_by(Review.rule_id)).all()
    appeals = session.exec(select(
        Appeal.rule_id,
        func.sum(case((col(Appeal.state) == AppealState.UPHELD, 1), else_=0)),
        func.sum(case((col(Appeal.state) == AppealState.OVERTURNED, 1), else_=0)),
    ).group_by(Appeal.rule_id)).all()
    stats: dict[str, dict[str, Any]] = {}
    for rule_id, count in findings:
        stats[rule_id] = {"rule_id": rule_id, "findings": int(count), "confirmed": 0,
                          "overturned": 0, "appeals_upheld": 0, "appeals_overturned": 0}
    for rule_id, confirmed, overturned in reviews:
        stats.setdefault(rule_id, _empty(rule_id)).update(
            confirmed=int(confirmed or 0), overturned=int(overturned or 0))
    for rule_id, upheld, overturned in appeals:
        stats.setdefault(rule_id, _empty(rule_id)).update(
            appeals_upheld=int(upheld or 0), appeals_overturned=int(overturned or 0))
    return sorted(stats.values(), key=lambda s: s["rule_id"])


def _empty(rule_id: str) -> dict[str, Any]:
    return {"rule_id": rule_id, "findings": 0, "confirmed": 0, "overturned": 0,
            "appeals_upheld": 0, "appeals_overturned": 0}


def append_audit(session: Session, *, actor: str, action: str, entity: str, entity_id: str,
                 before: dict[str, Any] | None, after: dict[str, Any] | None) -> AuditEntry:
    """Add an entry chained to the last one (serialised across writers on PostgreSQL). Its
    details are redacted first, like every stored value; the session remembers the entry for
    the automatic checkpoints (`models.repository.audit`)."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(7427)"))  # type: ignore[call-overload]
    else:
        _hold_sqlite_write_lock(session)
    last = session.exec(select(AuditEntry.hash).order_by(col(AuditEntry.id).desc()).limit(1)
                        ).first()
    entry = AuditEntry(actor=actor, action=action, entity=entity, entity_id=entity_id,
                       before=redact_value(before)[0], after=redact_value(after)[0],
                       prev_hash=last or GENESIS_HASH, hash="")
    entry.hash = entry_digest(entry)
    session.add(entry)
    session.flush()
    session.info[APPENDED_KEY] = entry.id
    return entry


def _hold_sqlite_write_lock(session: Session) -> None:
    """Take SQLite's write lock before reading the chain's last hash. The driver opens a
    transaction only at the first write, so a session that has not written yet would read the
    hash, wait for another writer's commit, then insert after it with a stale link."""
    raw = session.connection().connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        raw.execute("BEGIN IMMEDIATE")


def audit_head(session: Session) -> AuditHead:
    """The number of entries and the newest one's id and hash, read as one snapshot."""
    count, last_id = session.exec(select(func.count(), func.max(AuditEntry.id))).one()
    if last_id is None:
        return AuditHead(0, None, GENESIS_HASH)
    last = session.get(AuditEntry, last_id)
    assert last is not None
    return AuditHead(int(count), int(last_id), last.hash)


def walk_audit_chain(session: Session, *, positions: Iterable[int] = ()) -> ChainWalk:
    """Check every entry's hash and link in id order (streamed, not loaded at once), noting
    the id and hash at each of `positions` (entry counts: 0 is before the first entry)."""
    wanted = set(positions)
    seen: dict[int, tuple[int | None, str]] = {0: (None, GENESIS_HASH)} if 0 in wanted else {}
    previous, checked = GENESIS_HASH, 0
    query = select(AuditEntry).order_by(col(AuditEntry.id)).execution_options(yield_per=1000)
    for entry in session.exec(query):
        if entry.prev_hash != previous or entry_digest(entry) != entry.hash:
            return ChainWalk(checked, entry.id, seen)
        previous = entry.hash
        checked += 1
        if checked in wanted:
            seen[checked] = (entry.id, entry.hash)
    return ChainWalk(checked, None, seen)


def verify_audit_chain(session: Session) -> tuple[int, int | None]:
    """(entries checked, id of the first broken entry or None)."""
    walk = walk_audit_chain(session)
    return walk.checked, walk.broken_id
