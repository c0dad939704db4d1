"""Rule files: a pack of rules, each with common fields plus one condition chosen by `type`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from inspection.engine.base import ConditionModel, RoleScope, Strict
from inspection.types import Category, Channel, Direction, Role, Severity

RULE_ID_PATTERN = r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$"


class ExampleUtterance(Strict):
    role: Role
    text: str
    start: float | None = None
    end: float | None = None


class ExampleConversation(Strict):
    """A small conversation for a rule example; a plain string is one utterance of the rule's
    role, and lines "agent: …" / "customer: …" give several."""

    utterances: list[ExampleUtterance] = Field(min_length=1)
    channel: Channel = "chat"
    direction: Direction = "inbound"
    industry: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    sentiment: list[float] | None = None


Example = str | ExampleConversation


class Examples(Strict):
    hit: list[Example] = Field(min_length=1)
    miss: list[Example] = Field(min_length=1)


class Applicability(Strict):
    """When a rule applies at all. With `match: all` (default) every given field must match;
    with `match: any` one is enough. `industry` is always required and `metadata_not` always
    excludes, whatever `match`."""

    match: Literal["all", "any"] = "all"
    direction: Direction | None = None
    channel: Channel | None = None
    industry: list[str] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    metadata_not: dict[str, Any] = Field(default_factory=dict)
    condition: Any = None  # a Condition, validated by the loader (recursive type)


class RuleHeader(Strict):
    """The fields every rule has, whatever its condition `type`."""

    id: str = Field(pattern=RULE_ID_PATTERN)
    version: int = Field(ge=1)
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    category: Category
    severity: Severity
    deduction: float = Field(ge=0, le=100)
    veto: bool = False
    role: RoleScope = "agent"
    applies_when: Applicability | None = None
    coaching: str | None = None
    max_findings: int = Field(default=3, ge=1)
    examples: Examples


@dataclass(frozen=True)
class Rule:
    """A validated rule: its header, its compiled condition and the file it came from.

    `applies_condition`: `applies_when.condition`, validated (the rule applies only when it
    holds)."""

    header: RuleHeader
    condition: ConditionModel
    source: str
    applies_condition: ConditionModel | None = None

    @property
    def id(self) -> str:
        return self.header.id

    @property
    def sentiment_roles(self) -> frozenset[Role]:
        """The roles whose sentiment the rule reads: every sentiment condition's own `role`,
        else the rule's (`any`: every role), in its condition and its `applies_when`."""
        conditions = [self.condition, self.applies_condition]
        return frozenset().union(*(condition.sentiment_roles(self.header.role)
                                   for condition in conditions if condition is not None))


class PackFile(Strict):
    """The top level of one `rules/*.yaml` file."""

    pack: str = Field(min_length=1)
    description: str = ""
    lists: dict[str, list[str]] = Field(default_factory=dict)
    category_caps: dict[Category, float] = Field(default_factory=dict)
    precision_alert: float = Field(default=0.8, ge=0, le=1)  # the service alerts below it
    rules: list[dict[str, Any]] = Field(min_length=1)


RULE_HEADER_FIELDS = frozenset(RuleHeader.model_fields)
