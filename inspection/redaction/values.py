"""Redact any JSON-like value — metadata, notes, comments — keyed by what it holds, not by field name.

`redact_value(value)` walks dicts, lists and tuples and returns a masked copy:

- every string is masked like `redact_text` (free text, "customer_phone": "138…", a note);
- an integer (or an integral float) that *is* a personal number once written out — an int
  13812345678 in metadata — becomes its placeholder string "[手机号]" (the sign is dropped);
  other numbers stay as they are;
- dict keys are kept as they are (a value is never moved to another key), booleans, None and
  other objects are returned unchanged;
- nesting deeper than `max_depth` (default `MAX_DEPTH`, 32) raises `InvalidInputError`
  naming the path, instead of exhausting the stack on a 300-level value.

Each detection carries its `path` (keys and list indexes from the root) and the offsets in the
string at that path (for a number: in its decimal form).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from inspection.errors import InvalidInputError
from inspection.redaction.detectors import Basis, PiiKind
from inspection.redaction.scan import EntityFinder, redact_text

MAX_DEPTH = 32
PathElement = str | int
SHOWN_PATH_ELEMENTS = 6
SHORTEST_NUMBER, LONGEST_NUMBER = 10**9, 10**20  # no personal number as an int is outside these


@dataclass(frozen=True)
class ValueDetection:
    """One masked span inside a value: where in the value, what kind, which characters of that string."""

    path: tuple[PathElement, ...]
    kind: PiiKind
    start: int
    end: int
    basis: Basis


def redact_value(
    value: Any, *, max_depth: int = MAX_DEPTH, entities: EntityFinder | None = None, source: str = "值"
) -> tuple[Any, list[ValueDetection]]:
    """A masked copy of `value` and every span masked in it; `value` itself is not changed.

    Raises `InvalidInputError` (with `source` and the path) when dicts and lists nest deeper than
    `max_depth` levels.
    """
    found: list[ValueDetection] = []
    walker = _Walker(max_depth=max_depth, entities=entities, source=source, found=found)
    return walker.walk(value, ()), found


@dataclass
class _Walker:
    max_depth: int
    entities: EntityFinder | None
    source: str
    found: list[ValueDetection]

    def walk(self, value: Any, path: tuple[PathElement, ...]) -> Any:
        if isinstance(value, str):
            return self._text(value, path)
        if isinstance(value, bool) or not isinstance(value, int | float | Mapping | list | tuple):
            return value
        if isinstance(value, int | float):
            return self._number(value, path)
        if len(path) >= self.max_depth:
            raise InvalidInputError(
                self.source, f"嵌套超过 {self.max_depth} 层 (nested deeper than {self.max_depth} levels)",
                _location(path),
            )
        if isinstance(value, Mapping):
            return {key: self.walk(item, (*path, str(key))) for key, item in value.items()}
        items = [self.walk(item, (*path, index)) for index, item in enumerate(value)]
        return tuple(items) if isinstance(value, tuple) else items

    def _text(self, text: str, path: tuple[PathElement, ...]) -> str:
        masked, detections = redact_text(text, entities=self.entities)
        self.found.extend(ValueDetection(path, d.kind, d.start, d.end, d.basis) for d in detections)
        return masked

    def _number(self, number: int | float, path: tuple[PathElement, ...]) -> int | float | str:
        if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
            return number
        if not SHORTEST_NUMBER <= abs(int(number)) < LONGEST_NUMBER:
            return number
        written = str(abs(int(number)))
        masked, detections = redact_text(written)
        if not detections:
            return number
        self.found.extend(ValueDetection(path, d.kind, d.start, d.end, d.basis) for d in detections)
        return masked


def _location(path: tuple[PathElement, ...]) -> str:
    """The first elements of `path` as metadata.a[0].b, keys masked: an error message stores no PII."""
    shown = "".join(
        f"[{part}]" if isinstance(part, int) else f".{redact_text(part)[0]}"
        for part in path[:SHOWN_PATH_ELEMENTS]
    )
    return shown.lstrip(".") + ("…" if len(path) > SHOWN_PATH_ELEMENTS else "")
