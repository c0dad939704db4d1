"""`sentiment`: the scoped role's sentiment score (P(positive)) at or below a threshold.

The role is the condition's `role`, else the rule's (a top-level condition cannot have its own
`role`: that key is the rule's), so `risk.unresolved_anger` says `role: customer` on the rule.

`position: any` looks at every utterance, `last` at the role's last `count` utterances
(all must be at or below the threshold: "still angry at the end"). Utterances without a
sentiment result (no sentiment stage, or a role nobody reads) are skipped. Each utterance at or
below `max_score` is a hit.

Example::

    type: sentiment
    max_score: 0.25
    position: last
    count: 2
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from inspection.engine.base import ConditionModel, RoleScope, scope_roles
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.text import PreparedUtterance
from inspection.types import Role

TYPE = "sentiment"


class SentimentCondition(ConditionModel):
    type: Literal["sentiment"]
    max_score: float = Field(default=0.3, ge=0, le=1)
    role: RoleScope | None = None
    position: Literal["any", "last"] = "any"
    count: int = Field(default=1, ge=1)

    def sentiment_roles(self, rule_role: RoleScope) -> frozenset[Role]:
        """Its own `role`, else the rule's; `any` means every role."""
        return scope_roles(self.role or rule_role)


Model = SentimentCondition


def check(condition: SentimentCondition, context: CheckContext) -> Iterator[Hit]:
    utterances = [u for u in context.scoped(condition.role) if u.sentiment is not None]
    if condition.position == "last":
        tail = utterances[-condition.count:]
        if len(tail) < condition.count or any(_score(u) > condition.max_score for u in tail):
            return
        utterances = tail
    for utterance in utterances:
        score = _score(utterance)
        if score <= condition.max_score:
            yield Hit(f"情绪分 {score:.2f} ≤ {condition.max_score:g}（负面）", utterance.index,
                      0, len(utterance.text), utterance.text)


def _score(utterance: PreparedUtterance) -> float:
    return 1.0 if utterance.sentiment is None else utterance.sentiment.score
