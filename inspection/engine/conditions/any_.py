"""`any`: at least one part holds.

The parts (any conditions) are evaluated in order in the rule's context; the hits of the first
part that has any are the hits, and later parts are not evaluated. When no part has a hit, no
hit.

(The module is `any_`: `any` is a Python builtin.)

Example::

    type: any
    conditions:
      - {type: required, keywords: [您好, 你好], window: {first_utterances: 1}}
      - {type: required, keywords: [工号, 我是], window: {first_utterances: 1}}
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

TYPE = "any"


class AnyCondition(ConditionModel):
    type: Literal["any"]
    conditions: list[Condition] = Field(min_length=1)

    def subconditions(self) -> tuple[ConditionModel, ...]:
        return tuple(self.conditions)


Model = AnyCondition


def check(condition: AnyCondition, context: CheckContext) -> Iterator[Hit]:
    for part in condition.conditions:
        hits = list(context.evaluate(part))
        if hits:
            yield from hits
            return
