"""Reviewer decisions and agents' appeals on findings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.enums import AppealState
from models.people import utc_now


class Review(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", index=True)
    rule_id: str = Field(index=True, max_length=100)
    reviewer_id: int = Field(foreign_key="user.id")
    decision: str = Field(max_length=20)  # confirm | overturn (api.http.schemas.ReviewIn)
    comment: str = ""
    created_at: datetime = Field(default_factory=utc_now)


class Appeal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    finding_id: int = Field(foreign_key="finding.id", index=True, unique=True)
    rule_id: str = Field(index=True, max_length=100)
    agent_user_id: int = Field(foreign_key="user.id")
    reason: str
    state: str = Field(default=AppealState.OPEN, max_length=20)  # open | upheld | overturned
    decided_by: int | None = Field(default=None, foreign_key="user.id")
    decision_comment: str | None = None
    created_at: datetime = Field(default_factory=utc_now)
    decided_at: datetime | None = None
