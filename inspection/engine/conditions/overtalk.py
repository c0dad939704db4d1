"""`overtalk`: the agent starts speaking before the customer has finished.

Over all utterances in time order (whatever the rule's role), an agent utterance that starts at
least `min_overlap_seconds` before the end of an earlier customer utterance is an interruption
(the customer interrupting the agent is not). Every interruption is a hit, but only when there
are at least `min_count` of them in the call.

Example::

    type: overtalk
    min_overlap_seconds: 1.0
    min_count: 2
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from inspection.engine.base import ConditionModel
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit

TYPE = "overtalk"


class OvertalkCondition(ConditionModel):
    type: Literal["overtalk"]
    min_overlap_seconds: float = Field(default=0.5, ge=0)
    min_count: int = Field(default=1, ge=1)


Model = OvertalkCondition


def check(condition: OvertalkCondition, context: CheckContext) -> Iterator[Hit]:
    utterances = sorted(context.prepared.utterances, key=lambda u: u.utterance.start)
    hits = []
    for index, agent in enumerate(utterances):
        if agent.role != "agent":
            continue
        for customer in utterances[:index]:
            overlap = customer.utterance.end - agent.utterance.start
            if customer.role == "customer" and overlap >= condition.min_overlap_seconds:
                hits.append(Hit(f"客户未说完即插话（重叠 {overlap:.1f} 秒）", agent.index,
                                0, len(agent.text), agent.text))
                break
    if len(hits) >= condition.min_count:
        yield from hits
