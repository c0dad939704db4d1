"""Timing conditions on voice and chat: `overtalk`, `response_latency`, `speech_rate`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from inspection.engine.context import CheckContext, Hit, Strict


class OvertalkCondition(Strict):
    """An agent utterance that starts before the customer's has ended, at least `min_count` times."""

    type: Literal["overtalk"]
    min_overlap_seconds: float = Field(default=0.5, ge=0)
    min_count: int = Field(default=1, ge=1)


def check_overtalk(condition: OvertalkCondition, context: CheckContext) -> Iterator[Hit]:
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


class ResponseLatencyCondition(Strict):
    """Customer turn → next agent reply slower than `max_seconds` (`first_only`: first reply)."""

    type: Literal["response_latency"]
    max_seconds: float = Field(gt=0)
    first_only: bool = False


def check_response_latency(
    condition: ResponseLatencyCondition, context: CheckContext
) -> Iterator[Hit]:
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


class SpeechRateCondition(Strict):
    """Agent utterances spoken faster than `max_chars_per_second` (voice only)."""

    type: Literal["speech_rate"]
    max_chars_per_second: float = Field(gt=0)
    min_seconds: float = Field(default=2.0, ge=0)


def check_speech_rate(condition: SpeechRateCondition, context: CheckContext) -> Iterator[Hit]:
    if context.prepared.conversation.channel != "voice":
        return
    for utterance in context.scoped("agent"):
        duration = utterance.utterance.duration
        characters = sum(1 for c in utterance.text if c.isalnum())
        if duration >= condition.min_seconds and characters / duration > condition.max_chars_per_second:
            yield Hit(f"语速 {characters / duration:.1f} 字/秒（上限 {condition.max_chars_per_second:g}）",
                      utterance.index, 0, len(utterance.text), utterance.text)
