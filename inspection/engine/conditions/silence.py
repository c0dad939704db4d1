"""`silence`: a gap longer than N seconds between utterances (dead air on a call).

With `unless_preceded_by`, a gap is fine when the agent's last words before it asked the
customer to wait ("请您稍等").

Over all utterances in time order (whatever the rule's role), a gap is the time from the latest
end so far to the next utterance's start; each gap longer than `min_seconds` is a hit on the
utterance before it. `unless_preceded_by` is matched with the phrase options on the agent's last
utterance before the gap.

Example::

    type: silence
    min_seconds: 20
    unless_preceded_by: [请稍等, 我查一下]
    negation: false
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from functools import cached_property
from typing import Literal

from pydantic import Field

from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.phrases import PhraseOptions, PhraseSet

TYPE = "silence"


class SilenceCondition(PhraseOptions):
    type: Literal["silence"]
    min_seconds: float = Field(gt=0)
    unless_preceded_by: list[str] = Field(default_factory=list)

    def model_post_init(self, context: object, /) -> None:
        _ = self.hold_set

    @cached_property
    def hold_set(self) -> PhraseSet | None:
        return PhraseSet(self.unless_preceded_by, self) if self.unless_preceded_by else None


Model = SilenceCondition


def check(condition: SilenceCondition, context: CheckContext) -> Iterator[Hit]:
    utterances = sorted(context.prepared.utterances, key=lambda u: u.utterance.start)
    voice = context.prepared.conversation.channel == "voice"
    latest_end = 0.0
    last_agent = None
    for previous, current in itertools.pairwise(utterances):
        latest_end = max(latest_end, previous.utterance.end)
        if previous.role == "agent":
            last_agent = previous
        gap = current.utterance.start - latest_end
        if gap <= condition.min_seconds:
            continue
        hold = condition.hold_set
        announced = (hold is not None and last_agent is not None
                     and bool(hold.find(last_agent, voice=voice)))
        if not announced:
            yield Hit(f"静默 {gap:.1f} 秒（{latest_end:.1f}s–{current.utterance.start:.1f}s）"
                      "前未请客户稍等", previous.index, 0, len(previous.text), previous.text)
