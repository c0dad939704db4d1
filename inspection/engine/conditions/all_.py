"""`all`: every part holds.

Each part (any condition) is evaluated in the rule's context. When every part has hits:
- by default, the hits located at an utterance, of every part in order, are the hits (when
  none is located, e.g. all parts are `none` / `not` / plain `required`, the first part's first
  hit, about the whole call);
- with `same_utterance`, every part must hold in one and the same utterance ("negative AND says
  太过分" in that turn, not anywhere in the call): the hits are the first part's hits located in
  an utterance where every part has a hit.
When a part has no hit, no hit.

(The module is `all_`: `all` is a Python builtin.)

Example::

    type: all
    same_utterance: true
    conditions:
      - {type: sentiment, role: customer, max_score: 0.25}
      - {type: keyword, role: customer, keywords: [太过分, 投诉]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from inspection.engine.base import ConditionModel
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit

if TYPE_CHECKING:
    # At run time `Condition` is the registry's discriminated union of every condition type,
    # given by its `model_rebuild`; to a type checker, any condition model.
    from inspection.engine.base import ConditionModel as Condition

TYPE = "all"


class AllCondition(ConditionModel):
    type: Literal["all"]
    conditions: list[Condition] = Field(min_length=1)
    same_utterance: bool = False

    def subconditions(self) -> tuple[ConditionModel, ...]:
        return tuple(self.conditions)


Model = AllCondition


def check(condition: AllCondition, context: CheckContext) -> Iterator[Hit]:
    parts = [list(context.evaluate(part)) for part in condition.conditions]
    if not all(parts):
        return
    if condition.same_utterance:
        shared = set.intersection(*({h.utterance_index for h in hits} for hits in parts))
        yield from (h for h in parts[0] if h.utterance_index is not None
                    and h.utterance_index in shared)
        return
    collected = [hit for hits in parts for hit in hits]
    located = [h for h in collected if h.utterance_index is not None]
    yield from located or collected[:1]
