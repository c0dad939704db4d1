"""Boolean composition: `all` (every part holds), `any` (one holds), `not` (it does not hold)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from inspection.engine.context import CheckContext, Hit, Strict

if TYPE_CHECKING:
    from inspection.engine.registry import Condition


class AllCondition(Strict):
    type: Literal["all"]
    conditions: list[Condition] = Field(min_length=1)


class AnyCondition(Strict):
    type: Literal["any"]
    conditions: list[Condition] = Field(min_length=1)


class NotCondition(Strict):
    type: Literal["not"]
    condition: Condition


def check_all(condition: AllCondition, context: CheckContext) -> Iterator[Hit]:
    from inspection.engine.registry import evaluate

    collected: list[Hit] = []
    for part in condition.conditions:
        hits = list(evaluate(part, context))
        if not hits:
            return
        collected.extend(hits)
    located = [h for h in collected if h.utterance_index is not None]
    yield from located or collected[:1]


def check_any(condition: AnyCondition, context: CheckContext) -> Iterator[Hit]:
    from inspection.engine.registry import evaluate

    for part in condition.conditions:
        hits = list(evaluate(part, context))
        if hits:
            yield from hits
            return


def check_not(condition: NotCondition, context: CheckContext) -> Iterator[Hit]:
    from inspection.engine.registry import evaluate

    if next(iter(evaluate(condition.condition, context)), None) is None:
        yield Hit("条件不成立（not）")
