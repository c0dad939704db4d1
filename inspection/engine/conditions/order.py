"""`order`: an event must be preceded (or followed) by an anchor within N utterances.

Example: account details (`event`) may only be discussed after identity verification
(`requires`, `position: before`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, PrivateAttr

from inspection.engine.conditions.phrases import PhraseOptions, PhraseSet, describe
from inspection.engine.context import CheckContext, Hit, RoleScope


class OrderCondition(PhraseOptions):
    type: Literal["order"]
    event: list[str] = Field(min_length=1)
    requires: list[str] = Field(min_length=1)
    position: Literal["before", "after"] = "before"
    within_utterances: int | None = Field(default=None, ge=1)
    role: RoleScope | None = None
    requires_role: RoleScope = "any"
    _event: PhraseSet | None = PrivateAttr(default=None)
    _requires: PhraseSet | None = PrivateAttr(default=None)

    def model_post_init(self, context: object, /) -> None:
        self._event = PhraseSet(self.event, self)
        self._requires = PhraseSet(self.requires, self)


def check(condition: OrderCondition, context: CheckContext) -> Iterator[Hit]:
    assert condition._event is not None and condition._requires is not None
    voice = context.prepared.conversation.channel == "voice"
    anchors = [u.index for u in context.scoped(condition.requires_role)
               if next(condition._requires.find(u, voice=voice), None)]
    span = condition.within_utterances or 10**9
    for utterance in context.scoped(condition.role):
        event = next(condition._event.find(utterance, voice=voice), None)
        if event is None:
            continue
        if condition.position == "before":
            satisfied = any(utterance.index - span <= a <= utterance.index for a in anchors)
        else:
            satisfied = any(utterance.index <= a <= utterance.index + span for a in anchors)
        if not satisfied:
            where = "之前" if condition.position == "before" else "之后"
            yield Hit(f"{describe(event)}，但{where}没有「{condition.requires[0]}」等必要步骤",
                      utterance.index, event.start, event.end, event.text)
            return
