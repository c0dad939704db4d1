"""Review samples (抽检) and missed findings (漏检) in rows.

A sample is drawn per team: from each team's clean `done` conversations of a period not yet
sampled, `ceil(share × count)` chosen at random (seeded by the period and the team, so the same
draw on the same data picks the same conversations). A drawn conversation enters the review
queue (`needs_review`, with the reason `SAMPLE_REASON`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from models.conversations import Conversation
from models.repository.agreement import clean_condition
from models.sampling import SAMPLE_PENDING, MissedFinding, ReviewSample

SAMPLE_REASON = "抽检：机器未发现问题，随机抽取复核以估计漏检率"


def clean_unsampled(session: Session, *, since: datetime, until: datetime
                    ) -> dict[str | None, list[str]]:
    """Clean `done` conversations of [since, until) not sampled yet, by team (sorted ids)."""
    sampled = select(ReviewSample.conversation_id)
    query = select(Conversation.id, Conversation.team_id).where(
        clean_condition(), col(Conversation.started_at) >= since,
        col(Conversation.started_at) < until, col(Conversation.id).not_in(sampled),
    ).order_by(col(Conversation.id))
    teams: dict[str | None, list[str]] = {}
    for conversation_id, team_id in session.exec(query):
        teams.setdefault(team_id, []).append(conversation_id)
    return teams


def choose(ids: Sequence[str], share: float, seed: str) -> list[str]:
    """`ceil(share × len(ids))` of `ids`, at random but reproducibly (`seed`)."""
    wanted = min(len(ids), math.ceil(share * len(ids)))
    return sorted(random.Random(seed).sample(list(ids), wanted))


def draw_samples(session: Session, *, since: datetime, until: datetime, share: float,
                 drawn_by: str) -> list[ReviewSample]:
    """Draw the period's sample, team by team, and put each drawn conversation in the queue."""
    drawn: list[ReviewSample] = []
    for team_id, ids in sorted(clean_unsampled(session, since=since, until=until).items(),
                               key=lambda item: item[0] or ""):
        seed = f"{since.isoformat()}/{until.isoformat()}/{team_id}"
        for conversation_id in choose(ids, share, seed):
            drawn.append(ReviewSample(conversation_id=conversation_id, team_id=team_id,
                                      share=share, drawn_by=drawn_by))
            row = session.get(Conversation, conversation_id)
            assert row is not None
            row.needs_review = True
            row.review_reasons = [*row.review_reasons, SAMPLE_REASON]
            session.add(row)
    session.add_all(drawn)
    session.flush()
    return drawn


def sample_of(session: Session, *, conversation_id: str) -> ReviewSample | None:
    query = select(ReviewSample).where(ReviewSample.conversation_id == conversation_id)
    return session.exec(query).first()


def pending_samples(session: Session, *, limit: int = 200) -> list[ReviewSample]:
    query = (select(ReviewSample).where(ReviewSample.outcome == SAMPLE_PENDING)
             .order_by(col(ReviewSample.id)).limit(limit))
    return list(session.exec(query))


def misses_of(session: Session, *, conversation_id: str) -> list[MissedFinding]:
    query = (select(MissedFinding).where(MissedFinding.conversation_id == conversation_id)
             .order_by(col(MissedFinding.id)))
    return list(session.exec(query))
