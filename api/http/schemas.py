"""What the API returns and accepts (`…Public` models; English field names), and how each is
made from rows (`…Public.of`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, Field

from models import Conversation, Finding, Utterance

RecordId = Annotated[int, Path(ge=1, le=2**63 - 1, description="记录编号")]


class ConversationAccepted(BaseModel):
    id: str
    status: str
    created: bool


class UtterancePublic(BaseModel):
    index: int
    role: str
    start: float
    end: float
    text: str
    confidence: float
    sentiment_label: str | None = Field(
        description="negative / neutral / positive; null for a turn not analysed (sentiment off, "
                    "or a role no rule reads: with the default packs only customer turns are)")
    sentiment_score: float | None = Field(description="P(positive) + ½·P(neutral); null as above")


class FindingPublic(BaseModel):
    id: int
    rule_id: str
    rule_version: int
    rule_name: str
    category: str
    severity: str
    deduction: float
    veto: bool
    explanation: str
    coaching: str | None
    utterance_index: int | None
    role: str | None
    start: float | None
    end: float | None
    evidence_text: str | None
    confidence: float
    review_state: str
    appeal_state: str
    ruleset_version: int | None = Field(default=None, description="产生该结果的规则版本")


class ConversationSummary(BaseModel):
    id: str
    status: str
    channel: str
    direction: str
    agent_id: str | None
    team_id: str | None
    started_at: datetime | None
    score: float | None
    veto: bool
    veto_pending: bool = Field(default=False, description="一票否决待复核确认：score 不含该否决")
    needs_review: bool
    created_at: datetime

    @classmethod
    def of(cls, row: Conversation) -> ConversationSummary:
        """The summary of a row (also for `ConversationPublic`, whose own is `of_stored`)."""
        return ConversationSummary.model_validate(row, from_attributes=True)


class ConversationPublic(ConversationSummary):
    error: str | None
    industry: str | None
    metadata: dict[str, Any]
    roles_inferred: bool
    has_audio: bool
    deductions: float | None
    review_reasons: list[str]
    category_scores: dict[str, float]
    redactions: list[dict[str, Any]]
    utterances: list[UtterancePublic]
    findings: list[FindingPublic]

    @classmethod
    def of_stored(cls, row: Conversation, utterances: Sequence[Utterance],
                  findings: Sequence[Finding]) -> ConversationPublic:
        return cls(
            **ConversationSummary.of(row).model_dump(), error=row.error, industry=row.industry,
            metadata=row.meta, roles_inferred=row.roles_inferred, has_audio=bool(row.audio_path),
            deductions=row.deductions, review_reasons=row.review_reasons,
            category_scores=row.category_scores, redactions=row.redactions,
            utterances=[UtterancePublic.model_validate(u, from_attributes=True) for u in utterances],
            findings=[FindingPublic.model_validate(f, from_attributes=True) for f in findings])


class ReviewIn(BaseModel):
    decision: Literal["confirm", "overturn"]
    comment: str = Field(default="", max_length=2000)


class AppealIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


class AppealDecisionIn(BaseModel):
    decision: Literal["uphold", "overturn"]
    comment: str = Field(default="", max_length=2000)


class AppealPublic(BaseModel):
    id: int
    finding_id: int
    rule_id: str
    reason: str
    state: str
    decision_comment: str | None
    created_at: datetime
    decided_at: datetime | None


class RuleStat(BaseModel):
    rule_id: str
    findings: int
    confirmed: int
    overturned: int
    appeals_upheld: int
    appeals_overturned: int
    precision: float | None = Field(description="confirmed+upheld / all decided; None if none")


class RulePublic(BaseModel):
    id: str
    version: int
    name: str
    description: str
    category: str
    severity: str
    deduction: float
    veto: bool
    type: str
    coaching: str | None
    source: str
    examples: dict[str, list[Any]]


class RuleValidation(BaseModel):
    valid: bool
    rules: int = 0
    detail: str | None = None
