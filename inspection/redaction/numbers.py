"""Find personal numbers among the digit groups of one text.

A candidate is a run of joined digit groups (see `digits`), at most 19 digits once up to two
Chinese numerals are trimmed from either end — ASR glues the numeral of the next word on
("…五六七八一下"). From each group, candidates are tried longest first, untrimmed before
trimmed, against the number detectors in `DETECTORS` order; the mask always covers whole
groups, so a trimmed numeral is hidden with the number (the safe side).

After a personal cue (卡号 / 身份证 / 手机 …, see `cues`) a long joined run — at least
`MIN_CUED_DIGITS` digits, `MIN_CUED_PHONE_DIGITS` after a phone cue — is masked whole as the
cue's kind unless valid numbers cover it exactly: ASR mishears digits, so no checksum holds on
"卡号16 21 00 12 35 6 77 89 00 12".

Runs shorter than `MIN_DIGITS` (the shortest personal number) are skipped before any detector
runs. Refused for every detector: runs glued to Latin letters (order codes), decimals, and
thousands-grouped figures (1,234,567); amounts are refused too, except a mobile number said as one
(each detector reads `Candidate.amount`, see `mobile`).
Because masks follow group boundaries and placeholders hold no digits, masking again finds
nothing: redaction is idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from inspection.redaction.candidate import Candidate
from inspection.redaction.cues import CueKind, cue_before
from inspection.redaction.detectors import NUMBER_DETECTORS, Basis, Detection, PiiKind
from inspection.redaction.digits import DigitGroup, digit_at, digit_groups

MIN_DIGITS, MAX_DIGITS = 10, 19  # a landline with its area code … a 19-digit card
MAX_TRIM = 2
MAX_CUED_DIGITS = 32
MIN_CUED_DIGITS = 12
MIN_CUED_PHONE_DIGITS = 11
CURRENCY_SIGNS = frozenset("¥￥$＄")
AMOUNT_UNITS = frozenset("元块圆万亿千百角%％")
PLUS_SIGNS = frozenset("+＋")
OPENING_BRACKETS = frozenset("(（")
PHONE_KINDS = frozenset({"mobile", "landline"})
EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|[-－#])\s*$", re.IGNORECASE)
MAX_EXTENSION_DIGITS = 6
CUED_KIND: dict[CueKind, PiiKind] = {"bank_card": "bank_card", "id_number": "id_number", "phone": "mobile"}

Found = tuple[list[Detection], int]  # detections and the index of the last group they cover


def find_numbers(text: str) -> list[Detection]:
    """Every personal number in `text`, in order, not overlapping."""
    groups = digit_groups(text)
    detections: list[Detection] = []
    first = 0
    while first < len(groups):
        found = _cued_run(text, groups, first) or _validated(text, groups, first)
        if found is None:
            first += 1
            continue
        detections.extend(found[0])
        first = found[1] + 1
    return detections


def _validated(text: str, groups: Sequence[DigitGroup], first: int, limit: int | None = None) -> Found | None:
    """The longest valid number starting at group `first` (ending at group `limit` at most)."""
    last_joined = _last_joined(groups, first, MAX_DIGITS + 2 * MAX_TRIM, limit)
    candidates = [
        (last, groups[first:last + 1]) for last in range(last_joined, first - 1, -1)
        if _length(groups, first, last) >= MIN_DIGITS
    ]
    usable = [
        (last, c, _in_amount(text, c)) for last, c in candidates if not _excluded(text, c, amounts=False)
    ]
    if not usable:
        return None
    cue = cue_before(text, groups[first].start)
    for trimmed in (False, True):
        for last, candidate, amount in usable:
            if trimmed and not (candidate[0].spoken_prefix or candidate[-1].spoken_suffix):
                continue
            kind = _classify(candidate, trimmed, cue, amount)
            if kind is not None:
                return _detection(text, groups, kind, first, last, "validated")
    return None


def _cued_run(text: str, groups: Sequence[DigitGroup], first: int) -> Found | None:
    """A long run right after a personal cue: valid numbers covering it exactly, else the whole run."""
    if groups[first].separator is not None:  # the cue must come right before the run's first group
        return None
    last = _last_joined(groups, first, MAX_CUED_DIGITS)
    length = _length(groups, first, last)
    if length < MIN_CUED_PHONE_DIGITS:
        return None
    cue = cue_before(text, groups[first].start)
    if cue is None or cue == "reference" or (cue != "phone" and length < MIN_CUED_DIGITS):
        return None
    run = groups[first:last + 1]
    if _excluded(text, run):
        return None
    covering = _covering(text, groups, first, last)
    if covering is not None:
        return covering
    kind = "landline" if cue == "phone" and run[0].digits.startswith("0") else CUED_KIND[cue]
    return _detection(text, groups, kind, first, last, "cue")


def _covering(text: str, groups: Sequence[DigitGroup], first: int, last: int) -> Found | None:
    """Validated numbers that together cover groups[first:last + 1] exactly, or None."""
    detections: list[Detection] = []
    position = first
    while position <= last:
        found = _validated(text, groups, position, last)
        if found is None:
            return None
        detections.extend(found[0])
        position = found[1] + 1
    return detections, position - 1


def _detection(
    text: str, groups: Sequence[DigitGroup], kind: PiiKind, first: int, last: int, basis: Basis
) -> Found:
    """groups[first:last + 1] as one detection, with a phone number's "+" or "(" and its extension."""
    start = groups[first].start
    if kind == "landline":
        last = _with_extension(text, groups, last)
    end = groups[last].end
    if kind in PHONE_KINDS and start > 0 and _leads_phone(text[start - 1], text[start:end]):
        start -= 1
    return [Detection(kind, start, end, basis)], last


def _leads_phone(leader: str, number: str) -> bool:
    """A "+" before a phone number (+86 138…), or a "(" whose ")" is inside it ((010)6234…)."""
    return leader in PLUS_SIGNS or (leader in OPENING_BRACKETS and any(char in number for char in ")）"))


def _length(groups: Sequence[DigitGroup], first: int, last: int) -> int:
    return sum(len(group.digits) for group in groups[first:last + 1])


def _last_joined(groups: Sequence[DigitGroup], first: int, max_digits: int, limit: int | None = None) -> int:
    last, length = first, len(groups[first].digits)
    end = len(groups) - 1 if limit is None else limit
    while last < end and groups[last + 1].separator is not None:
        length += len(groups[last + 1].digits)
        if length > max_digits:
            break
        last += 1
    return last


def _classify(
    candidate: Sequence[DigitGroup], trimmed: bool, cue: CueKind | None, amount: bool
) -> PiiKind | None:
    digits = "".join(group.digits for group in candidate)
    for lead, trail in _trims(candidate[0], candidate[-1]) if trimmed else [(0, 0)]:
        core = digits[lead:len(digits) - trail]
        for tried in (core, core[:-1]) if core.endswith("X") else (core,):  # "X" only ends an ID number
            shown = Candidate(tried, candidate, cue, amount)
            for detector in NUMBER_DETECTORS:
                if detector.accepts is not None and detector.accepts(shown):
                    return detector.kind
    return None


def _trims(first: DigitGroup, last: DigitGroup) -> Iterator[tuple[int, int]]:
    """(lead, trail): Chinese numerals to drop from the start and end, fewest first, never (0, 0)."""
    most_lead = min(MAX_TRIM, first.spoken_prefix, len(first.digits) - 1)
    most_trail = min(MAX_TRIM, last.spoken_suffix, len(last.digits) - 1)
    pairs = [(lead, trail) for lead in range(most_lead + 1) for trail in range(most_trail + 1)]
    yield from sorted((pair for pair in pairs if pair != (0, 0)), key=sum)


def _with_extension(text: str, groups: Sequence[DigitGroup], last: int) -> int:
    """The last group of the number with its extension ("转 123", "-123", "ext 12") when one follows."""
    if last + 1 >= len(groups):
        return last
    extension = groups[last + 1]
    marker = text[groups[last].end:extension.start]
    said = len(marker) <= 5 and EXTENSION.fullmatch(marker) is not None
    return last + 1 if said and len(extension.digits) <= MAX_EXTENSION_DIGITS else last


def _excluded(text: str, candidate: Sequence[DigitGroup], amounts: bool = True) -> bool:
    """Part of an order code (touches Latin letters), a decimal, a thousands-grouped figure, an amount."""
    return (
        any(group.glued_to_letter for group in candidate)
        or _is_decimal_point(text, candidate[0].start - 1, before=True)
        or _is_decimal_point(text, candidate[-1].end, before=False)
        or _thousands_grouped(text, candidate)
        or (amounts and _in_amount(text, candidate))
    )


def _in_amount(text: str, candidate: Sequence[DigitGroup]) -> bool:
    before = _neighbour(text, candidate[0].start - 1, step=-1)
    after = _neighbour(text, candidate[-1].end, step=1)
    return before in CURRENCY_SIGNS or after in AMOUNT_UNITS


def _neighbour(text: str, index: int, step: int) -> str:
    while 0 <= index < len(text) and text[index].isspace():
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _is_decimal_point(text: str, index: int, before: bool) -> bool:
    """text[index] is "." with a short digit run on its far side: 12.5 / 1380.50 / 0.13…"""
    if not (0 <= index < len(text) and text[index] in ".．"):
        return False
    step = -1 if before else 1
    far, count = index + step, 0
    while count <= 2 and 0 <= far < len(text) and digit_at(text, far) is not None:
        far, count = far + step, count + 1
    return 0 < count <= 2


def _thousands_grouped(text: str, candidate: Sequence[DigitGroup]) -> bool:
    """1,234,567: Arabic digits in threes after ASCII commas, the way amounts are written."""
    if len(candidate) < 2 or any(group.separator != "," for group in candidate[1:]):
        return False
    written = all(text[group.start:group.end].isdigit() for group in candidate)
    return written and len(candidate[0].digits) <= 3 and all(len(g.digits) == 3 for g in candidate[1:])
