"""`Hit`: one place where a condition holds, what every check yields."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    """One place where a condition holds. `utterance_index` None: about the whole call.

    `start`/`end` index the utterance's normalised text; `text` is the matched part."""

    explanation: str
    utterance_index: int | None = None
    start: int = 0
    end: int = 0
    text: str = ""
