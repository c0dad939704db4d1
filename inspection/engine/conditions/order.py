"""`order`: an event must be preceded (or followed) by an anchor within N utterances.

For the scoped role's utterances (the condition's `role`, else the rule's) in call order, the
first one holding an `event` word whose anchor (a `requires` word said by `requires_role`) is
not in reach is the one hit. In reach: with `position: before`, in one of the
`within_utterances` utterances before the event (any earlier one without a limit); with
`position: after`, in one of those after it. In the event's own utterance the anchor counts when
it comes before the event's words (`before`) or after them (`after`).

Example: account details (`event`) may only be discussed after identity verification::

    type: order
    event: [您的余额, 本期账单]
    requires: [核实身份, 本人吗]
    position: before
    requires_role: agent
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Literal

from pydantic import Field

from inspection.engine.base import RoleScope
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.matching import PhraseHit
from inspection.engine.phrases import PhraseOptions, PhraseSet, describe

TYPE = "order"


class OrderCondition(PhraseOptions):
    type: Literal["order"]
    event: list[str] = Field(min_length=1)
    requires: list[str] = Field(min_length=1)
    position: Literal["before", "after"] = "before"
    within_utterances: int | None = Field(default=None, ge=1)
    role: RoleScope | None = None
    requires_role: RoleScope = "any"

    def model_post_init(self, context: object, /) -> None:
        _ = self.event_set, self.requires_set

    @cached_property
    def event_set(self) -> PhraseSet:
        return PhraseSet(self.event, self)

    @cached_property
    def requires_set(self) -> PhraseSet:
        return PhraseSet(self.requires, self)


Model = OrderCondition


def check(condition: OrderCondition, context: CheckContext) -> Iterator[Hit]:
    voice = context.prepared.conversation.channel == "voice"
    anchors = [(u.index, hit.start) for u in context.scoped(condition.requires_role)
               for hit in condition.requires_set.find(u, voice=voice)]
    for utterance in context.scoped(condition.role):
        events = condition.event_set.find(utterance, voice=voice)
        if not events:
            continue
        event = events[0]
        if not any(_in_reach(condition, utterance.index, event, anchor) for anchor in anchors):
            where = "之前" if condition.position == "before" else "之后"
            yield Hit(f"{describe(event)}，但{where}没有「{condition.requires[0]}」等必要步骤",
                      utterance.index, event.start, event.end, event.text)
            return


def _in_reach(condition: OrderCondition, index: int, event: PhraseHit,
              anchor: tuple[int, int]) -> bool:
    anchor_index, anchor_start = anchor
    span = condition.within_utterances or 10**9
    if anchor_index == index:
        before = anchor_start < event.start
        return before if condition.position == "before" else anchor_start >= event.end
    if condition.position == "before":
        return index - span <= anchor_index < index
    return index < anchor_index <= index + span
