"""Boolean composition: `all` (every part holds), `any` (one holds), `not` (it does not hold)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from inspection.engine.context import CheckContext, Hit, Strict

if TYPE_CHECKING:
    from inspection.engine.registry import Condition


class AllCondition(Strict):
    """Every part holds. With `same_utterance`, every part must hold in one and the same
    utterance ("negative AND says 太过分" in that turn, not anywhere in the call)."""

    type: Literal["all"]
    conditions: list[Condition] = Field(min_length=1)
    same_utterance: bool = False


class AnyCondition(Strict):
    type: Literal["any"]
    conditions: list[Condition] = Field(min_length=1)


class NotCondition(Strict):
    type: Literal["not"]
    condition: Condition


def check_all(condition: AllCondition, context: CheckContext) -> Iterator[Hit]:
    from inspection.engine.registry import evaluate

    parts = [list(evaluate(part, context)) for part in condition.conditions]
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
