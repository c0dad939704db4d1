"""The explicit registry: every condition `type`, its model and its check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from inspection.engine.conditions import (
    keyword,
    logic,
    order,
    proximity,
    regex,
    required,
    sentiment,
    silence,
    timing,
)
from inspection.engine.context import CheckContext, Hit

Condition = Annotated[
    keyword.KeywordCondition
    | regex.RegexCondition
    | proximity.ProximityCondition
    | required.RequiredCondition
    | order.OrderCondition
    | silence.SilenceCondition
    | timing.OvertalkCondition
    | timing.ResponseLatencyCondition
    | timing.SpeechRateCondition
    | sentiment.SentimentCondition
    | logic.AllCondition
    | logic.AnyCondition
    | logic.NotCondition,
    Field(discriminator="type"),
]

CHECKS: dict[str, Callable[[Any, CheckContext], Iterator[Hit]]] = {
    "keyword": keyword.check,
    "regex": regex.check,
    "proximity": proximity.check,
    "required": required.check,
    "order": order.check,
    "silence": silence.check,
    "overtalk": timing.check_overtalk,
    "response_latency": timing.check_response_latency,
    "speech_rate": timing.check_speech_rate,
    "sentiment": sentiment.check,
    "all": logic.check_all,
    "any": logic.check_any,
    "not": logic.check_not,
}

for _model in (required.RequiredCondition, logic.AllCondition, logic.AnyCondition,
               logic.NotCondition):
    _model.model_rebuild(_types_namespace={"Condition": Condition})

CONDITION_ADAPTER: TypeAdapter[Any] = TypeAdapter(Condition)


def evaluate(condition: Any, context: CheckContext) -> Iterator[Hit]:
    """Run one condition (of any type) over the prepared conversation."""
    return CHECKS[condition.type](condition, context)
