"""Character error rate, as the speech data's README defines it: punctuation and spaces
removed, traditional characters converted to simplified."""

from __future__ import annotations

import re

from inspection.text import to_simplified

_NOT_TEXT = re.compile(r"[\W_]+")


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over characters divided by the reference length."""
    ref = _NOT_TEXT.sub("", to_simplified(reference))
    hyp = _NOT_TEXT.sub("", to_simplified(hypothesis))
    previous = list(range(len(hyp) + 1))
    for i, ref_char in enumerate(ref, 1):
        current = [i]
        for j, hyp_char in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref_char != hyp_char)))
        previous = current
    return previous[-1] / max(1, len(ref))
