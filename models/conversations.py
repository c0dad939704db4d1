"""Conversations, their (redacted) utterances and the findings on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import AppealState, ConversationStatus, ReviewState
from models.people import empty_dict, empty_list, utc_now


class Conversation(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=200)
    body_hash: str = Field(max_length=64)
    status: str = Field(default=ConversationStatus.RECEIVED, max_length=20, index=True)
    error: str | None = None
    attempts: int = 0
    channel: str = Field(max_length=10)
    direction: str = Field(max_length=10)
    industry: str | None = Field(default=None, max_length=50)
    agent_id: str | None = Field(default=None, foreign_key="agent.id", index=True)
    team_id: str | None = Field(default=None, foreign_key="team.id", index=True)
    started_at: datetime | None = Field(default=None, index=True)
    meta: dict[str, Any] = Field(default_factory=empty_dict, sa_column=Column("metadata", JSON))
    audio_path: str | None = None
    roles_inferred: bool = False
    score: float | None = Field(default=None, index=True)
    deductions: float | None = None
    veto: bool = Field(default=False, index=True)
    veto_pending: bool = Field(default=False, index=True)  # a machine veto awaits a reviewer
    needs_review: bool = Field(default=False, index=True)
    review_reasons: list[str] = Field(default_factory=empty_list, sa_column=Column(JSON))
    category_scores: dict[str, float] = Field(default_factory=empty_dict, sa_column=Column(JSON))
    redactions: list[dict[str, Any]] = Field(default_factory=empty_list, sa_column=Column(JSON))
    source: dict[str, Any] = Field(default_factory=empty_dict, sa_column=Column(JSON))
    ruleset_version: int | None = None  # the rule-pack version of its current findings
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)


class Utterance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("conversation_id", "index"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(foreign_key="conversation.id", index=True, max_length=200)
    index: int
    role: str = Field(max_length=10)
    start: float
    end: float
    text: str
    confidence: float = 1.0
    sentiment_label: str | None = Field(default=None, max_length=10)
    sentiment_score: float | None = None


class Finding(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(foreign_key="conversation.id", index=True, max_length=200)
    rule_id: str = Field(index=True, max_length=100)
    rule_version: int
    rule_name: str
    category: str = Field(max_length=20)
    severity: str = Field(max_length=20)
    deduction: float
    veto: bool
    explanation: str
    coaching: str | None = Field(default=None, max_length=50)
    utterance_index: int | None = None
    role: str | None = Field(default=None, max_length=10)
    start: float | None = None
    end: float | None = None
    evidence_text: str | None = None
    confidence: float = 1.0
    review_state: str = Field(default=ReviewState.PENDING, max_length=20)
    appeal_state: str = Field(default=AppealState.NONE, max_length=20)
    ruleset_version: int | None = None  # the rule-pack version that produced it
    created_at: datetime = Field(default_factory=utc_now)

    @property
    def counts(self) -> bool:
        """A finding counts against the agent unless a reviewer or an appeal overturned it."""
        return (self.review_state != ReviewState.OVERTURNED
                and self.appeal_state != AppealState.OVERTURNED)
