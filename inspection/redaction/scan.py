"""Find personal data in one text and mask it.

Order: e-mail addresses (`email`), then — only when an entity finder is passed — names and
street addresses (`entities`), then numbers (`numbers`) in what is left: a span found earlier is
blanked out before the next step looks, so detections never overlap. A span overlapping a
placeholder already in the text is dropped, so masking twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from inspection.redaction.detectors import DETECTORS, PLACEHOLDERS, Detection
from inspection.redaction.email import find_emails
from inspection.redaction.numbers import find_numbers

BLANK = "["  # fills a span already found, as its placeholder would start: no digit, letter, separator or cue
_PLACEHOLDER = re.compile("|".join(map(re.escape, sorted(PLACEHOLDERS))))


class EntityFinder(Protocol):
    """Finds names and street addresses in a text (`person_name` / `address` detections)."""

    def find(self, text: str) -> list[Detection]: ...


def find_pii(text: str, *, entities: EntityFinder | None = None) -> list[Detection]:
    """Every piece of personal data in `text`, in order, not overlapping.

    `entities` (off by default) adds names and street addresses from an NER model, e.g.
    `LacEntityFinder`.
    """
    found = find_emails(text)
    if entities is not None:
        taken = [(d.start, d.end) for d in found] + _placeholder_spans(text)
        found += [d for d in entities.find(text) if not any(_overlaps(d, span) for span in taken)]
    found += find_numbers(_blanked(text, found) if found else text)
    return sorted(found, key=lambda detection: detection.start)


def redact_text(text: str, *, entities: EntityFinder | None = None) -> tuple[str, list[Detection]]:
    """`text` with each piece of personal data replaced by its placeholder, and what was replaced where.

    The offsets in the detections index the input `text`.
    """
    detections = find_pii(text, entities=entities)
    return mask(text, detections), detections


def mask(text: str, detections: Sequence[Detection], start: int = 0, end: int | None = None) -> str:
    """text[start:end] with every detection inside it replaced by its kind's placeholder."""
    end = len(text) if end is None else end
    pieces: list[str] = []
    cursor = start
    for detection in sorted(detections, key=lambda detection: detection.start):
        if detection.end <= start or detection.start >= end:
            continue
        pieces.append(text[cursor:max(cursor, detection.start)])
        if detection.start >= start:
            pieces.append(DETECTORS[detection.kind].placeholder)
        cursor = max(cursor, min(detection.end, end))
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _placeholder_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _PLACEHOLDER.finditer(text)]


def _overlaps(detection: Detection, span: tuple[int, int]) -> bool:
    return detection.start < span[1] and span[0] < detection.end


def _blanked(text: str, detections: Sequence[Detection]) -> str:
    chars = list(text)
    for detection in detections:
        chars[detection.start:detection.end] = BLANK * (detection.end - detection.start)
    return "".join(chars)
