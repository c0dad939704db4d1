"""Recognised segments: faster-whisper's output made frozen, simplified and split at pauses."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from inspection.text import to_simplified
from inspection.types import Word


@dataclass(frozen=True)
class RecognisedSegment:
    """One stretch of speech of one channel, text already simplified, times in seconds."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    confidence: float
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0


def from_whisper(segment: Any, offset: float = 0.0) -> RecognisedSegment:
    """faster-whisper's `Segment` → `RecognisedSegment`; confidence = mean word probability.

    `offset` is added to every time (the start of the clip the segment was decoded from).
    """
    words = [(word.word, word.start, word.end, word.probability) for word in segment.words or ()]
    return build_segment(
        segment.text,
        words,
        span=(segment.start, segment.end),
        avg_logprob=float(segment.avg_logprob),
        no_speech_prob=float(segment.no_speech_prob),
        offset=offset,
    )


def build_segment(
    text: str,
    words: Iterable[tuple[str, float, float, float]],
    *,
    span: tuple[float, float],
    avg_logprob: float,
    no_speech_prob: float,
    offset: float = 0.0,
) -> RecognisedSegment:
    """A segment from whisper's text and (word, start, end, probability) timings, simplified.

    Times are relative to the decoded clip; `offset` (the clip's start) makes them the
    recording's. `span` is whisper's own segment start/end, used only when there are no words.
    """
    kept = tuple(
        Word(
            text=to_simplified(word.strip()),
            start=round(offset + max(0.0, start), 3),
            end=round(offset + max(start, end, 0.0), 3),
            probability=round(min(1.0, max(0.0, float(probability))), 4),
        )
        for word, start, end, probability in words
        if word.strip()
    )
    if kept:
        confidence = float(np.mean([word.probability for word in kept]))
        start, end = kept[0].start, kept[-1].end
    else:
        confidence = float(np.exp(min(0.0, avg_logprob)))
        start = offset + max(0.0, span[0])
        end = offset + max(0.0, span[0], span[1])
    return RecognisedSegment(
        start=round(start, 3),
        end=round(end, 3),
        text=to_simplified(text.strip()),
        words=kept,
        confidence=round(confidence, 4),
        avg_logprob=avg_logprob,
        no_speech_prob=no_speech_prob,
    )


def join_words(words: Iterable[str]) -> str:
    """Join word texts: no space between Chinese characters, one between Latin words."""
    text = ""
    for word in words:
        if text and text[-1].isascii() and text[-1].isalnum() and word[:1].isascii() and word[:1].isalnum():
            text += " "
        text += word
    return text


def split_at_pauses(segment: RecognisedSegment, pause_s: float) -> Iterator[RecognisedSegment]:
    """Split a segment where its words are `pause_s` or more apart: one utterance per turn.

    Whisper can put two turns of one channel, with the other speaker talking in between, into
    one segment; evidence times must stay per turn.
    """
    words = segment.words
    cuts = [i for i in range(1, len(words)) if words[i].start - words[i - 1].end >= pause_s]
    yield from _cut(segment, words, cuts)


def _cut(segment: RecognisedSegment, words: tuple[Word, ...], cuts: list[int]) -> Iterator[RecognisedSegment]:
    if not words:
        yield segment
        return
    for first, last in zip([0, *cuts], [*cuts, len(words)], strict=True):
        part = words[first:last]
        yield replace(
            segment,
            start=part[0].start,
            end=part[-1].end,
            text=join_words(word.text for word in part) if cuts else segment.text,
            words=part,
            confidence=(
                round(float(np.mean([word.probability for word in part])), 4) if cuts else segment.confidence
            ),
        )
