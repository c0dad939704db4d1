"""Core data types: a conversation in, findings and a quality result out.

Input types (`Utterance`, `Conversation`) are frozen pydantic models because they are parsed
from user files and must produce precise validation errors; results (`Evidence`, `Finding`,
`InspectionResult`, `SentimentResult`) are frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, model_validator

Role = Literal["agent", "customer"]
Channel = Literal["voice", "chat"]
Direction = Literal["inbound", "outbound"]
Category = Literal["compliance", "courtesy", "process", "risk"]
Severity = Literal["info", "minor", "major", "critical"]
SentimentLabel = Literal["negative", "neutral", "positive"]

ROLES: tuple[Role, ...] = ("agent", "customer")


class Word(BaseModel):
    """One recognised word with its timing (audio conversations only)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    probability: float = Field(default=1.0, ge=0, le=1)


class Utterance(BaseModel):
    """One turn of one speaker. Times are seconds from the start of the conversation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    start: float = Field(default=0.0, ge=0)
    end: float = Field(default=0.0, ge=0)
    text: str
    confidence: float = Field(default=1.0, ge=0, le=1)
    words: tuple[Word, ...] = ()

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Utterance:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self

    @property
    def duration(self) -> float:
        return self.end - self.start


class Conversation(BaseModel):
    """The canonical conversation (see docs/design.md): the same shape for chat logs and transcripts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    channel: Channel = "chat"
    direction: Direction = "inbound"
    industry: str | None = None
    agent_id: str | None = None
    started_at: datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    roles_inferred: bool = False
    audio_path: str | None = None
    utterances: tuple[Utterance, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _agent_id_from_metadata(self) -> Conversation:
        if self.agent_id is None and isinstance(self.metadata.get("agent_id"), str | int):
            object.__setattr__(self, "agent_id", str(self.metadata["agent_id"]))
        return self

    @property
    def duration(self) -> float:
        return max((u.end for u in self.utterances), default=0.0)


@dataclass(frozen=True)
class Evidence:
    """Where a finding is in the conversation, and what was matched there."""

    utterance_index: int
    role: Role
    start: float
    end: float
    text: str
    confidence: float = 1.0


@dataclass(frozen=True)
class Finding:
    """One rule that fired on one conversation, with the evidence a reviewer needs."""

    rule_id: str
    rule_version: int
    rule_name: str
    category: Category
    severity: Severity
    deduction: float
    veto: bool
    explanation: str
    evidence: Evidence | None = None
    coaching: str | None = None

    @property
    def confidence(self) -> float:
        return self.evidence.confidence if self.evidence else 1.0


@dataclass(frozen=True)
class InspectionResult:
    """The quality verdict for one conversation."""

    conversation_id: str
    agent_id: str | None
    score: float
    deductions: float
    veto: bool
    veto_rule_ids: tuple[str, ...]
    needs_review: bool
    review_reasons: tuple[str, ...]
    category_scores: dict[str, float]
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    pending_veto_rule_ids: tuple[str, ...] = ()
    """Machine vetoes awaiting a reviewer (`veto_applies: on_confirmation`): they neither zero
    the score nor deduct until confirmed (`veto` and `veto_rule_ids` are the applied ones)."""


@dataclass(frozen=True)
class SentimentResult:
    """Sentiment of one text: a label and a `score` in [0, 1] from negative to positive.

    `score` = P(positive) + ½·P(neutral): a neutral request scores about 0.5, so rule
    thresholds such as `max_score: 0.25` mean "clearly negative" (for a two-label model
    this is exactly P(positive))."""

    label: SentimentLabel
    score: float


class SentimentAnalyzer(Protocol):
    """Anything that turns texts into sentiment: the embedded model or the lexicon fallback."""

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]: ...
