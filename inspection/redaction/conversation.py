"""Redact a whole conversation's utterances: their texts, their recognised words, and where it happened.

Each `RedactedSpan` gives the seconds to mute: from the timestamps of the words that hold the
number when the utterance has words that line up with its text, else the whole utterance.
Words inside a number are merged into one word carrying the placeholder and spanning their
combined time, so the words still spell the redacted text. Words that cannot be lined up with
the text are dropped from an utterance that had something redacted: they might spell it out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from inspection.redaction.detectors import Detection, PiiKind
from inspection.redaction.scan import EntityFinder, find_pii, mask
from inspection.types import Conversation, Utterance, Word

WordOffsets = list[tuple[int, int]]


@dataclass(frozen=True)
class RedactedSpan:
    """One masked span. Characters index the original utterance text; times are seconds."""

    utterance_index: int
    kind: PiiKind
    start_char: int
    end_char: int
    start: float
    end: float


def redact_conversation(
    conversation: Conversation, *, entities: EntityFinder | None = None
) -> tuple[Conversation, list[RedactedSpan]]:
    """A copy of `conversation` with the personal data in its utterances masked, and the masked spans.

    Only utterance texts and words are redacted here; `metadata` is left to `redact_value`.
    `entities` (off by default) adds names and street addresses (see `find_pii`).
    """
    utterances: list[Utterance] = []
    spans: list[RedactedSpan] = []
    for index, utterance in enumerate(conversation.utterances):
        detections = find_pii(utterance.text, entities=entities)
        if detections:
            utterance, found = _redact_utterance(index, utterance, detections)
            spans.extend(found)
        utterances.append(utterance)
    return conversation.model_copy(update={"utterances": tuple(utterances)}), spans


def word_offsets(text: str, words: Sequence[Word]) -> WordOffsets | None:
    """Where each word's text sits in `text`, in order; None if they do not line up.

    Word texts are compared without surrounding spaces; between two words the text may only
    hold spaces and punctuation.
    """
    offsets: WordOffsets = []
    cursor = 0
    for word in words:
        spelled = word.text.strip()
        position = text.find(spelled, cursor)
        if position < 0 or not all(_is_filler(char) for char in text[cursor:position]):
            return None
        offsets.append((position, position + len(spelled)))
        cursor = position + len(spelled)
    return offsets


def _is_filler(char: str) -> bool:
    return unicodedata.category(char)[0] in "PZ"


def _redact_utterance(
    index: int, utterance: Utterance, detections: list[Detection]
) -> tuple[Utterance, list[RedactedSpan]]:
    offsets = word_offsets(utterance.text, utterance.words)
    words = () if offsets is None else _mask_words(utterance.text, utterance.words, offsets, detections)
    spans = [
        RedactedSpan(index, d.kind, d.start, d.end, *_seconds(utterance, offsets or [], d))
        for d in detections
    ]
    update = {"text": mask(utterance.text, detections), "words": words}
    return utterance.model_copy(update=update), spans


def _seconds(utterance: Utterance, offsets: WordOffsets, detection: Detection) -> tuple[float, float]:
    inside = [
        word
        for word, (start, end) in zip(utterance.words, offsets, strict=False)
        if start < detection.end and end > detection.start
    ]
    if not inside:
        return utterance.start, utterance.end
    return min(word.start for word in inside), max(word.end for word in inside)


def _mask_words(
    text: str, words: Sequence[Word], offsets: WordOffsets, detections: Sequence[Detection]
) -> tuple[Word, ...]:
    """Words touching a detection merge (with the words sharing it) into one masked word."""
    clusters: list[list[int]] = []
    previous: set[Detection] = set()
    for position, (start, end) in enumerate(offsets):
        touched = {d for d in detections if start < d.end and end > d.start}
        if touched & previous:
            clusters[-1].append(position)
        else:
            clusters.append([position])
        previous = touched
    return tuple(
        _merged_word(
            text,
            [words[position] for position in cluster],
            (offsets[cluster[0]][0], offsets[cluster[-1]][1]),
            detections,
        )
        for cluster in clusters
    )


def _merged_word(
    text: str, members: Sequence[Word], span: tuple[int, int], detections: Sequence[Detection]
) -> Word:
    start, end = span
    if len(members) == 1 and not any(start < d.end and end > d.start for d in detections):
        return members[0]
    return Word(
        text=mask(text, detections, start, end),
        start=min(word.start for word in members),
        end=max(word.end for word in members),
        probability=min(word.probability for word in members),
    )
