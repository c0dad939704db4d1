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
        if not any(next(condition.phrase_set.find(u, voice=voice), None) for u in candidates):
            yield Hit(f"缺少必要话术（如「{condition.keywords[0]}」）")
        return
    triggers = [h for h in evaluate(condition.trigger, context) if h.utterance_index is not None]
    if not triggers:
        return
    first = triggers[0]
    assert first.utterance_index is not None
    last_index = first.utterance_index + (condition.within_utterances or 10**9)
    following = [u for u in candidates if first.utterance_index <= u.index <= last_index]
    if not any(next(condition.phrase_set.find(u, voice=voice), None) for u in following):
        yield Hit(f"{first.explanation}，之后缺少必要话术（如「{condition.keywords[0]}」）",
                  first.utterance_index, first.start, first.end, first.text)
