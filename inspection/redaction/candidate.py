"""What a number detector is shown: a digit sequence and the few facts about its context it may use."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspection.redaction.cues import CueKind
from inspection.redaction.digits import DigitGroup

PHONE_GROUPING = (3, 4, 4)


@dataclass(frozen=True)
class Candidate:
    """One run of joined digit groups being tried as a personal number.

    `digits` are the bare digits ("X" allowed for an ID check character), separators removed and
    up to two glued-on Chinese numerals trimmed from either end; `groups` are the whole groups the
    mask would cover.
    """

    digits: str
    groups: Sequence[DigitGroup]
    cue: CueKind | None  # what the speaker said right before it (see `cues`)
    amount: bool  # after a currency sign (¥ $) or before an amount unit (元 块 万 %)

    @property
    def phone_grouped(self) -> bool:
        """Written the way a mobile number is said, 3-4-4 (138 1234 5678, 138-1234-5678), not 1,380."""
        sizes = tuple(len(group.digits) for group in self.groups)
        return sizes == PHONE_GROUPING and all(
            group.separator is not None and "," not in group.separator for group in self.groups[1:]
        )
