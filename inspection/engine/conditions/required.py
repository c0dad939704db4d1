"""`required`: a phrase that must be said; its absence is the violation.

Optionally conditional: when `trigger` holds (e.g. the agent recommends a product, or the
customer is angry), one of the phrases must follow within `within_utterances` of the trigger.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from inspection.engine.conditions.phrases import HasPhrases
from inspection.engine.context import CheckContext, Hit, RoleScope, Window

if TYPE_CHECKING:
    from inspection.engine.registry import Condition


class RequiredCondition(HasPhrases):
    type: Literal["required"]
    role: RoleScope | None = None
    window: Window | None = None
    trigger: Condition | None = None
    within_utterances: int | None = Field(default=None, ge=1)


def check(condition: RequiredCondition, context: CheckContext) -> Iterator[Hit]:
    from inspection.engine.registry import evaluate

    voice = context.prepared.conversation.channel == "voice"
    candidates = context.scoped(condition.role, condition.window)
    if condition.trigger is None:
        if not any(condition.phrase_set.find(u, voice=voice) for u in candidates):
            yield Hit(f"缺少必要话术（如「{condition.keywords[0]}」）")
        return
    triggers = [h for h in evaluate(condition.trigger, context) if h.utterance_index is not None]
    span = condition.within_utterances or 10**9
    for trigger in _one_per_utterance(triggers):
        assert trigger.utterance_index is not None
        following = [u for u in candidates
                     if trigger.utterance_index <= u.index <= trigger.utterance_index + span]
        if following and not any(condition.phrase_set.find(u, voice=voice) for u in following):
            yield Hit(f"{trigger.explanation}，之后缺少必要话术（如「{condition.keywords[0]}」）",
                      trigger.utterance_index, trigger.start, trigger.end, trigger.text)


# A trigger with nothing after it in scope (the customer's last words) left no chance to respond.


def _one_per_utterance(hits: list[Hit]) -> list[Hit]:
    """Each triggering utterance once: every product pitch needs its own disclosure."""
    seen: dict[int | None, Hit] = {}
    for hit in hits:
        seen.setdefault(hit.utterance_index, hit)
    return sorted(seen.values(), key=lambda h: h.utterance_index or 0)
