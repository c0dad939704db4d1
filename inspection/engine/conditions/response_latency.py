"""`response_latency`: the customer waits longer than `max_seconds` for the agent's reply.

Over all utterances in time order (whatever the rule's role), the wait runs from the end of the
first customer utterance not yet answered to the start of the next agent utterance; each reply
later than `max_seconds` is a hit on that reply. With `first_only`, only the first reply to the
customer is judged. A customer message never answered is no hit.

Example::

    type: response_latency
    max_seconds: 30
    first_only: true
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from inspection.engine.base import ConditionModel
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit

TYPE = "response_latency"


class ResponseLatencyCondition(ConditionModel):
    type: Literal["response_latency"]
    max_seconds: float = Field(gt=0)
    first_only: bool = False


Model = ResponseLatencyCondition


def check(condition: ResponseLatencyCondition, context: CheckContext) -> Iterator[Hit]:
    waiting_since: float | None = None
    for utterance in sorted(context.prepared.utterances, key=lambda u: u.utterance.start):
        if utterance.role == "customer":
            if waiting_since is None:
                waiting_since = utterance.utterance.end
            continue
        if waiting_since is not None:
            delay = utterance.utterance.start - waiting_since
            if delay > condition.max_seconds:
                yield Hit(f"客户等待 {delay:.0f} 秒才得到回复（上限 {condition.max_seconds:g} 秒）",
                          utterance.index, 0, len(utterance.text), utterance.text)
            if condition.first_only:
                return
        waiting_since = None
