"""`not`: the part does not hold.

The part (any condition) is evaluated in the rule's context; when it has no hit, one hit about
the whole call; when it has one, no hit.

(The module is `not_`: `not` is a Python keyword.)

Example::

    type: not
    condition: {type: keyword, keywords: [抱歉, 对不起]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from inspection.engine.base import ConditionModel
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit

if TYPE_CHECKING:
    # At run time `Condition` is the registry's discriminated union of every condition type,
    # given by its `model_rebuild`; to a type checker, any condition model.
    from inspection.engine.base import ConditionModel as Condition

TYPE = "not"


class NotCondition(ConditionModel):
    type: Literal["not"]
    condition: Condition

    def subconditions(self) -> tuple[ConditionModel, ...]:
        return (self.condition,)


Model = NotCondition


def check(condition: NotCondition, context: CheckContext) -> Iterator[Hit]:
    if next(iter(context.evaluate(condition.condition)), None) is None:
        yield Hit("条件不成立（not）")
