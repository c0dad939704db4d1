"""`silence`: a gap longer than N seconds between utterances (dead air on a call), attributed.

Over all utterances in time order (whatever the rule's role), a gap is the time from the latest
end so far to the next utterance's start; each gap longer than `min_seconds` is a hit on the
utterance before it, unless the silence is accounted for:

- `unless_preceded_by`: the agent's last utterance before the gap asked the customer to wait
  ("请您稍等", "我查一下");
- `unless_customer_asked`: the silence is the customer's. The customer's last utterance before
  the gap asked for it ("稍等啊我去拿一下银行卡", "你等我一下", "我找一下"), and the agent said
  nothing after it but acknowledgements (each at most `acknowledgement_chars` characters: "好的",
  "好的不着急"): the agent agreed to wait.

Both lists are matched with the phrase options (`negation` …).

Example::

    type: silence
    min_seconds: 20
    unless_preceded_by: [请稍等, 我查一下]
    unless_customer_asked: [稍等, 等我一下, 我找一下]
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
from inspection.text import PreparedUtterance

TYPE = "silence"


class SilenceCondition(PhraseOptions):
    type: Literal["silence"]
    min_seconds: float = Field(gt=0)
    unless_preceded_by: list[str] = Field(default_factory=list)
    unless_customer_asked: list[str] = Field(default_factory=list)
    acknowledgement_chars: int = Field(default=10, ge=0)

    def model_post_init(self, context: object, /) -> None:
        _ = self.hold_set, self.customer_set

    @cached_property
    def hold_set(self) -> PhraseSet | None:
        return PhraseSet(self.unless_preceded_by, self) if self.unless_preceded_by else None

    @cached_property
    def customer_set(self) -> PhraseSet | None:
        return PhraseSet(self.unless_customer_asked, self) if self.unless_customer_asked else None


Model = SilenceCondition


def check(condition: SilenceCondition, context: CheckContext) -> Iterator[Hit]:
    utterances = sorted(context.prepared.utterances, key=lambda u: u.utterance.start)
    voice = context.prepared.conversation.channel == "voice"
    latest_end = 0.0
    last_agent: PreparedUtterance | None = None
    last_customer: PreparedUtterance | None = None
    agent_since_customer: list[PreparedUtterance] = []
    for previous, current in itertools.pairwise(utterances):
        latest_end = max(latest_end, previous.utterance.end)
        if previous.role == "agent":
            last_agent = previous
            agent_since_customer.append(previous)
        else:
            last_customer, agent_since_customer = previous, []
        gap = current.utterance.start - latest_end
        if gap <= condition.min_seconds:
            continue
        if _announced(condition.hold_set, last_agent, voice) or _customer_asked(
                condition, last_customer, agent_since_customer, voice):
            continue
        yield Hit(f"静默 {gap:.1f} 秒（{latest_end:.1f}s–{current.utterance.start:.1f}s）"
                  "前未请客户稍等", previous.index, 0, len(previous.text), previous.text)


def _announced(hold: PhraseSet | None, last_agent: PreparedUtterance | None,
               voice: bool) -> bool:
    """The agent's last words before the gap asked the customer to wait."""
    return hold is not None and last_agent is not None and bool(hold.find(last_agent,
                                                                         voice=voice))


def _customer_asked(condition: SilenceCondition, last_customer: PreparedUtterance | None,
                    agent_since: list[PreparedUtterance], voice: bool) -> bool:
    """The customer's last words before the gap asked for it, and the agent only agreed."""
    asked = condition.customer_set
    if asked is None or last_customer is None or not asked.find(last_customer, voice=voice):
        return False
    return all(len(u.text) <= condition.acknowledgement_chars for u in agent_since)
