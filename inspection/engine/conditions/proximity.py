"""`proximity`: a word of list A within N characters or tokens of a word of list B.

In each scoped utterance (the condition's `role`, else the rule's, cut to its `window`), the
first B word within `max_distance` of an A word makes a hit spanning both, once per A hit.
The distance is the gap between the two words in characters (`unit: chars`) or in whole jieba
tokens (`unit: tokens`), in either order; overlapping words are 0 apart. Phrase options apply
to both lists.

Example::

    type: proximity
    a: [验证码, 密码]
    b: [报一下, 告诉我]
    max_distance: 8
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Literal

from pydantic import Field

from inspection.engine.base import RoleScope
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.phrases import PhraseOptions, PhraseSet
from inspection.engine.window import Window
from inspection.text import PreparedUtterance

TYPE = "proximity"


class ProximityCondition(PhraseOptions):
    type: Literal["proximity"]
    a: list[str] = Field(min_length=1)
    b: list[str] = Field(min_length=1)
    max_distance: int = Field(ge=0)
    unit: Literal["chars", "tokens"] = "chars"
    role: RoleScope | None = None
    window: Window | None = None

    def model_post_init(self, context: object, /) -> None:
        _ = self.a_set, self.b_set

    @cached_property
    def a_set(self) -> PhraseSet:
        return PhraseSet(self.a, self)

    @cached_property
    def b_set(self) -> PhraseSet:
        return PhraseSet(self.b, self)


Model = ProximityCondition


def check(condition: ProximityCondition, context: CheckContext) -> Iterator[Hit]:
    voice = context.prepared.conversation.channel == "voice"
    for utterance in context.scoped(condition.role, condition.window):
        a_hits = condition.a_set.find(utterance, voice=voice)
        b_hits = condition.b_set.find(utterance, voice=voice) if a_hits else []
        for a in a_hits:
            for b in b_hits:
                gap = _distance(utterance, (a.start, a.end), (b.start, b.end), condition.unit)
                if gap <= condition.max_distance:
                    start, end = min(a.start, b.start), max(a.end, b.end)
                    yield Hit(f"「{a.text}」与「{b.text}」相距 {gap} 个{_unit(condition.unit)}",
                              utterance.index, start, end, utterance.text[start:end])
                    break


def _distance(utterance: PreparedUtterance, a: tuple[int, int], b: tuple[int, int],
              unit: str) -> int:
    first, second = sorted([a, b])
    if second[0] < first[1]:
        return 0
    if unit == "chars":
        return second[0] - first[1]
    return sum(1 for t in utterance.tokens if t.start >= first[1] and t.end <= second[0])


def _unit(unit: str) -> str:
    return "字" if unit == "chars" else "词"
