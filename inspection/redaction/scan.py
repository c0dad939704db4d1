"""Find personal numbers in one text and mask them.

A candidate is a sequence of joined digit groups (see `digits`), at most 19 digits once up to
two Chinese numerals are trimmed from either end — ASR glues the numeral of the next word on
("…五六七八一下"). Candidates are tried longest first from each group, untrimmed before trimmed;
the mask always covers whole groups, so a trimmed numeral is hidden with the number (the safe
side). Because masks follow group boundaries and placeholders hold no digits, masking again
finds nothing: redaction is idempotent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from inspection.redaction.detectors import DETECTORS, PiiKind
from inspection.redaction.digits import DigitGroup, digit_at, digit_groups

MAX_DIGITS = 19
MAX_TRIM = 2
CURRENCY_SIGNS = frozenset("¥￥$＄")
AMOUNT_UNITS = frozenset("元块圆万亿千百角%％")
PLUS_SIGNS = frozenset("+＋")


class Detection(NamedTuple):
    """One personal number: its kind and its character offsets in the scanned text."""

    kind: PiiKind
    start: int
    end: int


def find_pii(text: str) -> list[Detection]:
    """Every personal number in `text`, in order, not overlapping."""
    groups = digit_groups(text)
    found: list[Detection] = []
    first = 0
    while first < len(groups):
        match = _match_from(text, groups, first)
        if match is None:
            first += 1
            continue
        kind, last = match
        start = groups[first].start
        if kind == "mobile" and start > 0 and text[start - 1] in PLUS_SIGNS:
            start -= 1
        found.append(Detection(kind, start, groups[last].end))
        first = last + 1
    return found


def redact_text(text: str) -> tuple[str, list[Detection]]:
    """`text` with each personal number replaced by its placeholder, and what was replaced where.

    The offsets in the detections index the input `text`.
    """
    detections = find_pii(text)
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


def _match_from(text: str, groups: Sequence[DigitGroup], first: int) -> tuple[PiiKind, int] | None:
    """The longest valid candidate starting at group `first`: its kind and its last group."""
    lasts = range(_last_joined(groups, first), first - 1, -1)
    for trimmed in (False, True):
        for last in lasts:
            candidate = groups[first:last + 1]
            if _excluded(text, candidate):
                continue
            kind = _classify(candidate, trimmed)
            if kind is not None:
                return kind, last
    return None


def _last_joined(groups: Sequence[DigitGroup], first: int) -> int:
    last, length = first, len(groups[first].digits)
    while last + 1 < len(groups) and groups[last + 1].separator is not None:
        length += len(groups[last + 1].digits)
        if length > MAX_DIGITS + 2 * MAX_TRIM:
            break
        last += 1
    return last


def _classify(candidate: Sequence[DigitGroup], trimmed: bool) -> PiiKind | None:
    digits = "".join(group.digits for group in candidate)
    for lead, trail in _trims(candidate[0], candidate[-1]) if trimmed else [(0, 0)]:
        core = digits[lead:len(digits) - trail]
        for detector in DETECTORS.values():
            if detector.matches(core):
                return detector.kind
    return None


def _trims(first: DigitGroup, last: DigitGroup) -> Iterator[tuple[int, int]]:
    """(lead, trail): Chinese numerals to drop from the start and end, fewest first, never (0, 0)."""
    most_lead = min(MAX_TRIM, first.spoken_prefix, len(first.digits) - 1)
    most_trail = min(MAX_TRIM, last.spoken_suffix, len(last.digits) - 1)
    pairs = [(lead, trail) for lead in range(most_lead + 1) for trail in range(most_trail + 1)]
    yield from sorted((pair for pair in pairs if pair != (0, 0)), key=sum)


def _excluded(text: str, candidate: Sequence[DigitGroup]) -> bool:
    """Part of an order code (touches Latin letters), or an amount of money or a decimal."""
    if any(group.glued_to_letter for group in candidate):
        return True
    before = _neighbour(text, candidate[0].start - 1, step=-1)
    after = _neighbour(text, candidate[-1].end, step=1)
    return (
        before in CURRENCY_SIGNS
        or after in AMOUNT_UNITS
        or _is_decimal_point(text, candidate[0].start - 1, before=True)
        or _is_decimal_point(text, candidate[-1].end, before=False)
        or _thousands_grouped(text, candidate)
    )


def _neighbour(text: str, index: int, step: int) -> str:
    while 0 <= index < len(text) and text[index].isspace():
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _is_decimal_point(text: str, index: int, before: bool) -> bool:
    """text[index] is "." with a digit on its far side: 12.5 / 0.13…"""
    other = index - 1 if before else index + 1
    return 0 <= index < len(text) and text[index] == "." and 0 <= other < len(text) and (
        digit_at(text, other) is not None
    )


def _thousands_grouped(text: str, candidate: Sequence[DigitGroup]) -> bool:
    """1,234,567: Arabic digits in threes after ASCII commas, the way amounts are written."""
    if len(candidate) < 2 or any(group.separator != "," for group in candidate[1:]):
        return False
    written = all(text[group.start:group.end].isdigit() for group in candidate)
    return written and len(candidate[0].digits) <= 3 and all(len(g.digits) == 3 for g in candidate[1:])
