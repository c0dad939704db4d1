"""`speech_rate`: the agent speaks faster than `max_chars_per_second` (voice calls only).

Each agent utterance (whatever the rule's role) lasting at least `min_seconds` whose letters,
digits and characters per second (punctuation not counted) exceed `max_chars_per_second` is a
hit. A chat has no speech rate: never a hit.

Example::

    type: speech_rate
    max_chars_per_second: 7
    min_seconds: 2
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from inspection.engine.base import ConditionModel
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit

TYPE = "speech_rate"


class SpeechRateCondition(ConditionModel):
    type: Literal["speech_rate"]
    max_chars_per_second: float = Field(gt=0)
    min_seconds: float = Field(default=2.0, ge=0)


Model = SpeechRateCondition


def check(condition: SpeechRateCondition, context: CheckContext) -> Iterator[Hit]:
    if context.prepared.conversation.channel != "voice":
        return
    for utterance in context.scoped("agent"):
        duration = utterance.utterance.duration
        characters = sum(1 for c in utterance.text if c.isalnum())
        if duration >= condition.min_seconds and characters / duration > condition.max_chars_per_second:
            yield Hit(f"语速 {characters / duration:.1f} 字/秒（上限 {condition.max_chars_per_second:g}）",
                      utterance.index, 0, len(utterance.text), utterance.text)
