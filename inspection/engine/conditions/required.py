"""`required`: a phrase that must be said; its absence is the violation.

Plain: when no utterance in scope (the condition's `role`, else the rule's, cut to its
`window`) holds one of the `keywords`, one hit about the whole call.

Conditional: when `trigger` (any condition) holds (e.g. the agent recommends a product, or the
customer is angry), one of the phrases must follow in scope, in the trigger's own utterance or
within `within_utterances` after it (no limit without it). Each triggering utterance is checked
on its own (every product pitch needs its own disclosure) and each one left without the phrase
is a hit located at the trigger. A trigger with nothing after it in scope (the customer's last
words) left no chance to respond and is no hit.

Example::

    type: required
    keywords: [投资有风险, 谨慎投资]
    within_utterances: 2
    trigger: {type: keyword, keywords: [理财产品, 基金]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from inspection.engine.base import ConditionModel, RoleScope
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.phrases import HasPhrases
from inspection.engine.window import Window

if TYPE_CHECKING:
    # At run time `Condition` is the registry's discriminated union of every condition type,
    # given by its `model_rebuild`; to a type checker, any condition model.
    from inspection.engine.base import ConditionModel as Condition

TYPE = "required"


class RequiredCondition(HasPhrases):
    type: Literal["required"]
    role: RoleScope | None = None
    window: Window | None = None
    trigger: Condition | None = None
    within_utterances: int | None = Field(default=None, ge=1)

    def subconditions(self) -> tuple[ConditionModel, ...]:
        return (self.trigger,) if self.trigger is not None else ()


Model = RequiredCondition


def check(condition: RequiredCondition, context: CheckContext) -> Iterator[Hit]:
    voice = context.prepared.conversation.channel == "voice"
    candidates = context.scoped(condition.role, condition.window)
    if condition.trigger is None:
        if not any(condition.phrase_set.find(u, voice=voice) for u in candidates):
            yield Hit(f"缺少必要话术（如「{condition.keywords[0]}」）")
        return
    triggers = [h for h in context.evaluate(condition.trigger) if h.utterance_index is not None]
    span = condition.within_utterances or 10**9
    for trigger in _one_per_utterance(triggers):
        assert trigger.utterance_index is not None
        following = [u for u in candidates
                     if trigger.utterance_index <= u.index <= trigger.utterance_index + span]
        if following and not any(condition.phrase_set.find(u, voice=voice) for u in following):
            yield Hit(f"{trigger.explanation}，之后缺少必要话术（如「{condition.keywords[0]}」）",
                      trigger.utterance_index, trigger.start, trigger.end, trigger.text)


def _one_per_utterance(hits: list[Hit]) -> list[Hit]:
    """Each triggering utterance once: every product pitch needs its own disclosure."""
    seen: dict[int | None, Hit] = {}
    for hit in hits:
        seen.setdefault(hit.utterance_index, hit)
    return sorted(seen.values(), key=lambda h: h.utterance_index or 0)
