"""Character error rate, as the speech data's README defines it: punctuation and spaces
removed, traditional characters converted to simplified."""

from __future__ import annotations

import re
from collections.abc import Iterable

from inspection.text import to_simplified

_NOT_TEXT = re.compile(r"[\W_]+")


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over characters divided by the reference length."""
    errors, length = character_errors(reference, hypothesis)
    return errors / max(1, length)


def pooled_character_error_rate(pairs: Iterable[tuple[str, str]]) -> float | None:
    """(reference, hypothesis) pairs' errors summed over their reference characters summed;
    None when no reference has a character. A pair whose reference is empty adds nothing."""
    errors = characters = 0
    for reference, hypothesis in pairs:
        pair_errors, length = character_errors(reference, hypothesis)
        if length:
            errors, characters = errors + pair_errors, characters + length
    return errors / characters if characters else None


def character_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(Levenshtein distance over characters, reference length), both after normalising."""
    ref = _NOT_TEXT.sub("", to_simplified(reference))
    hyp = _NOT_TEXT.sub("", to_simplified(hypothesis))
    previous = list(range(len(hyp) + 1))
    for i, ref_char in enumerate(ref, 1):
        current = [i]
        for j, hyp_char in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref_char != hyp_char)))
        previous = current
    return previous[-1], len(ref)
