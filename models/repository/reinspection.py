"""Stored conversations of a period read back for a dry run or a re-inspection, and a
re-inspection's findings merged into the stored ones.

Merging keeps what reviewers did: a new finding of the same rule on the same utterance as a
stored one updates that row in place (its id, review and appeal stay, and so do the `Review`
and `Appeal` rows that point at it); a new finding with no such match is added, `pending`; a
stored finding the new rules no longer produce is removed, and the audit entry of the
re-inspection keeps its rule, utterance and review outcome. The verdict is then scored again
from the merged findings (`rescore`: reviews applied). Functions flush, never commit: the
caller's transaction holds the merge and the item's `done` together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, col, delete, select

from inspection import types as core
from inspection.scoring import ScoringPolicy
from models.conversations import Conversation, Finding, Utterance
from models.enums import AppealState, ConversationStatus, ReviewState
from models.people import utc_now
from models.queries import append_audit, findings_of
from models.reinspection import ITEM_DONE, ITEM_FAILED, ITEM_PENDING, ReinspectionItem, ReinspectionRun
from models.repository.conversations import core_conversation
from models.repository.results import finding_row_values, rescore
from models.reviews import Appeal, Review

CHUNK = 500
FindingKey = tuple[str, int | None]  # (rule id, utterance index)


def conversation_ids_between(session: Session, *, since: datetime, until: datetime
                             ) -> list[str]:
    """The `done` conversations that started in [since, until), oldest first."""
    query = select(Conversation.id).where(
        Conversation.status == ConversationStatus.DONE,
        col(Conversation.started_at) >= since, col(Conversation.started_at) < until,
    ).order_by(col(Conversation.started_at), col(Conversation.id))
    return list(session.exec(query))


def core_conversations(session: Session, *, ids: Sequence[str]) -> list[core.Conversation]:
    """The conversations as the core reads them (their stored, redacted turns), in `ids` order,
    loaded in chunks."""
    rows: dict[str, Conversation] = {}
    turns: dict[str, list[Utterance]] = {cid: [] for cid in ids}
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start:start + CHUNK])
        rows.update({row.id: row for row in session.exec(
            select(Conversation).where(col(Conversation.id).in_(chunk)))})
        for turn in session.exec(select(Utterance).where(col(Utterance.conversation_id).in_(chunk))
                                 .order_by(col(Utterance.index))):
            turns[turn.conversation_id].append(turn)
    return [core_conversation(rows[cid], turns[cid]) for cid in ids if cid in rows]


def merge_reinspection(session: Session, row: Conversation, result: core.InspectionResult, *,
                       version: int, policy: ScoringPolicy, actor: str) -> dict[str, Any]:
    """Merge `result` (the conversation inspected again with rule `version`) into the stored
    findings, score again and audit. Returns what the audit entry records."""
    stored = findings_of(session, conversation_id=row.id)
    unmatched: dict[FindingKey, list[Finding]] = {}
    for finding in stored:
        unmatched.setdefault((finding.rule_id, finding.utterance_index), []).append(finding)
    kept, added = 0, 0
    for new in result.findings:
        values = {**finding_row_values(new), "ruleset_version": version}
        matches = unmatched.get((new.rule_id, values["utterance_index"]))
        if matches:
            _update(session, matches.pop(0), values)
            kept += 1
        else:
            session.add(Finding(**values, conversation_id=row.id, review_state=ReviewState.PENDING,
                                appeal_state=AppealState.NONE))
            added += 1
    dropped = [finding for group in unmatched.values() for finding in group]
    _remove(session, dropped)
    session.flush()
    row.ruleset_version, row.updated_at = version, utc_now()
    rescore(session, row, policy, actor=actor, reason=f"re-inspected with rules v{version}")
    record = {"version": version, "kept": kept, "added": added,
              "dropped": [_dropped(finding) for finding in dropped]}
    append_audit(session, actor=actor, action="conversation.reinspected", entity="conversation",
                 entity_id=row.id, before=None, after=record)
    return record


def _update(session: Session, finding: Finding, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(finding, name, value)
    session.add(finding)


def _remove(session: Session, findings: Sequence[Finding]) -> None:
    ids = [finding.id for finding in findings if finding.id is not None]
    if not ids:
        return
    session.exec(delete(Review).where(col(Review.finding_id).in_(ids)))
    session.exec(delete(Appeal).where(col(Appeal.finding_id).in_(ids)))
    session.exec(delete(Finding).where(col(Finding.id).in_(ids)))


def _dropped(finding: Finding) -> dict[str, Any]:
    return {"finding_id": finding.id, "rule_id": finding.rule_id,
            "rule_version": finding.rule_version, "ruleset_version": finding.ruleset_version,
            "utterance_index": finding.utterance_index, "review_state": finding.review_state,
            "appeal_state": finding.appeal_state}


def rule_versions_of(session: Session, *, ids: Sequence[str]) -> list[int]:
    """The rule versions the given conversations' current findings rest on."""
    versions: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start:start + CHUNK])
        query = select(Conversation.ruleset_version).where(col(Conversation.id).in_(chunk))
        versions |= {v for v in session.exec(query) if v is not None}
    return sorted(versions)


def create_run(session: Session, *, version: int, since: datetime, until: datetime,
               requested_by: str) -> ReinspectionRun:
    """A run over the period's `done` conversations, one `pending` item each (one INSERT)."""
    ids = conversation_ids_between(session, since=since, until=until)
    run = ReinspectionRun(version=version, since=since, until=until, requested_by=requested_by,
                          total=len(ids))
    session.add(run)
    session.flush()
    if ids:
        now = utc_now()
        session.execute(insert(ReinspectionItem.__table__), [  # type: ignore[attr-defined]
            {"run_id": run.id, "conversation_id": cid, "state": ITEM_PENDING, "attempts": 0,
             "updated_at": now} for cid in ids])
    return run


def item_ids(session: Session, *, run_id: int | None = None, state: str = ITEM_PENDING
             ) -> list[int]:
    """Items of one run (or of every run) in `state`."""
    query = select(ReinspectionItem.id).where(ReinspectionItem.state == state)
    if run_id is not None:
        query = query.where(ReinspectionItem.run_id == run_id)
    return [i for i in session.exec(query.order_by(col(ReinspectionItem.id))) if i is not None]


def run_progress(session: Session, *, run_id: int) -> dict[str, int]:
    """{pending, done, failed, total} of one run, counted from its items."""
    counts = dict(session.exec(select(ReinspectionItem.state, func.count())
                               .where(ReinspectionItem.run_id == run_id)
                               .group_by(ReinspectionItem.state)).all())
    found = {state: int(counts.get(state, 0)) for state in (ITEM_PENDING, ITEM_DONE, ITEM_FAILED)}
    return {**found, "total": sum(found.values())}


def list_runs(session: Session, *, limit: int = 20) -> list[ReinspectionRun]:
    query = select(ReinspectionRun).order_by(col(ReinspectionRun.id).desc()).limit(limit)
    return list(session.exec(query))
