"""What the agreement statistics count, read from the store: every human decision on a
machine finding (reviews and decided appeals), the findings per rule, the reviewed review
samples (抽检) with the rules missed on them, missed findings recorded elsewhere, and how many
conversations the machine found clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, not_, or_
from sqlmodel import Session, col, exists, select

from models.conversations import Conversation, Finding
from models.enums import AppealState, ConversationStatus
from models.reviews import Appeal, Review
from models.sampling import SAMPLE_PENDING, MissedFinding, ReviewSample


@dataclass(frozen=True)
class Decision:
    """A reviewer's or an appeal's verdict on a machine finding: right (the rule was right to
    fire) or not, and when."""

    rule_id: str
    right: bool
    at: datetime


@dataclass(frozen=True)
class SampleCounts:
    """Reviewed samples of clean conversations, and per rule on how many of them it was
    missed; missed findings outside samples; the clean conversations sampled from."""

    reviewed: int
    missed_in_sample: dict[str, int]
    missed_elsewhere: dict[str, int]
    clean_conversations: int


def decisions(session: Session) -> list[Decision]:
    """Every review and every decided appeal, oldest first."""
    found = [Decision(rule_id, decision == "confirm", at) for rule_id, decision, at in
             session.exec(select(Review.rule_id, Review.decision, Review.created_at))]
    decided = select(Appeal.rule_id, Appeal.state, Appeal.decided_at).where(
        col(Appeal.state).in_([AppealState.UPHELD, AppealState.OVERTURNED]))
    found += [Decision(rule_id, state == AppealState.UPHELD, at or datetime.min)
              for rule_id, state, at in session.exec(decided)]
    return sorted(found, key=lambda d: d.at.replace(tzinfo=None))


def findings_per_rule(session: Session) -> dict[str, int]:
    rows = session.exec(select(Finding.rule_id, func.count()).group_by(Finding.rule_id)).all()
    return {rule_id: int(count) for rule_id, count in rows}


def clean_condition() -> ColumnElement[bool]:
    """A `done` conversation with no deducting or vetoing finding: the machine found it clean."""
    flagged = exists().where(col(Finding.conversation_id) == col(Conversation.id),
                             or_(col(Finding.deduction) > 0, col(Finding.veto)))
    return and_(col(Conversation.status) == ConversationStatus.DONE, not_(flagged))


def sample_counts(session: Session) -> SampleCounts:
    reviewed_ids = select(ReviewSample.id).where(ReviewSample.outcome != SAMPLE_PENDING)
    reviewed = session.exec(select(func.count()).select_from(ReviewSample)
                            .where(ReviewSample.outcome != SAMPLE_PENDING)).one()
    in_sample = session.exec(
        select(MissedFinding.rule_id, func.count(func.distinct(MissedFinding.sample_id)))
        .where(col(MissedFinding.sample_id).in_(reviewed_ids))
        .group_by(MissedFinding.rule_id)).all()
    elsewhere = session.exec(
        select(MissedFinding.rule_id, func.count())
        .where(col(MissedFinding.sample_id).is_(None)).group_by(MissedFinding.rule_id)).all()
    clean = session.exec(select(func.count()).select_from(Conversation)
                         .where(clean_condition())).one()
    return SampleCounts(int(reviewed), {r: int(n) for r, n in in_sample},
                        {r: int(n) for r, n in elsewhere}, int(clean))
