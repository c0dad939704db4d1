"""What the machine missed: reviewers' missed findings (漏检), and the review sample (抽检) of
conversations the machine found clean, drawn per team so recall can be estimated without bias.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.people import utc_now

SAMPLE_PENDING, SAMPLE_CLEAN, SAMPLE_MISSED = "pending", "clean", "missed"


class ReviewSample(SQLModel, table=True):
    """One clean conversation drawn for review; `outcome` is `pending` until a reviewer says
    it is clean or records a missed finding on it."""

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(foreign_key="conversation.id", max_length=200, unique=True)
    team_id: str | None = Field(default=None, max_length=100, index=True)
    share: float
    drawn_by: str = Field(max_length=200)
    drawn_at: datetime = Field(default_factory=utc_now)
    outcome: str = Field(default=SAMPLE_PENDING, max_length=20, index=True)
    reviewed_by: int | None = Field(default=None, foreign_key="user.id")
    reviewed_at: datetime | None = None


class MissedFinding(SQLModel, table=True):
    """A rule that should have fired on a conversation and did not."""

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(foreign_key="conversation.id", max_length=200, index=True)
    rule_id: str = Field(max_length=100, index=True)
    utterance_index: int | None = None
    comment: str = ""
    reviewer_id: int = Field(foreign_key="user.id")
    sample_id: int | None = Field(default=None, foreign_key="reviewsample.id")
    created_at: datetime = Field(default_factory=utc_now)
