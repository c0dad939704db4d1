"""`regex`: a regular expression on normalised text, minus an exclusion pattern.

Patterns compile at load time and run with a timeout, so a pathological pattern cannot hang
an inspection. A timeout is an error, not a skipped utterance: skipping would silently pass an
utterance that might hold a violation, so the inspection stops with an error naming the rule
(the runner adds file and rule id) and the pattern has to be fixed.
Do not use `\\b`: word boundaries do not exist in Chinese text.

Every match in every scoped utterance (the condition's `role`, else the rule's, cut to its
`window`) is a hit, up to `max_hits`; an utterance where `exclude` matches anywhere has none.
Patterns run on the normalised text (`inspection.text.normalise`: simplified, lower case,
canonical punctuation).

Example::

    type: regex
    pattern: (?<![0-9])(12378|12315|315)(?![0-9])
    exclude: 投诉电话
    max_hits: 5
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Any, Literal

import regex
from pydantic import Field, field_validator

from inspection.engine.base import ConditionModel, RoleScope
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.window import Window

TYPE = "regex"

# Wall-clock, not CPU time: under load (job threads sharing the GIL, busy cores) an ordinary
# pattern that needs microseconds was seen stalled past 50 ms, and a demo load then lost a
# conversation. One second still stops a runaway pattern on the first utterance it meets.
TIMEOUT_SECONDS = 1.0


class RegexTimeoutError(TimeoutError):
    """A pattern ran longer than `TIMEOUT_SECONDS` on one utterance (catastrophic backtracking)."""

    def __init__(self, pattern: str, utterance_index: int) -> None:
        self.pattern = pattern
        self.utterance_index = utterance_index
        super().__init__(f"正则表达式「{pattern}」在第 {utterance_index} 句上运行超过 "
                         f"{TIMEOUT_SECONDS:g} 秒（回溯失控），请改写该正则")


class RegexCondition(ConditionModel):
    type: Literal["regex"]
    pattern: str
    exclude: str | None = None
    role: RoleScope | None = None
    window: Window | None = None
    max_hits: int = Field(default=20, ge=1)

    @field_validator("pattern", "exclude")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                regex.compile(value)
            except regex.error as exc:
                raise ValueError(f"正则表达式无法编译: {exc}") from None
        return value

    def model_post_init(self, context: object, /) -> None:
        _ = self.compiled, self.compiled_exclude

    @cached_property
    def compiled(self) -> Any:
        return regex.compile(self.pattern)

    @cached_property
    def compiled_exclude(self) -> Any:
        return regex.compile(self.exclude) if self.exclude else None


Model = RegexCondition


def check(condition: RegexCondition, context: CheckContext) -> Iterator[Hit]:
    count = 0
    for utterance in context.scoped(condition.role, condition.window):
        try:
            matches = _matches(condition, utterance.text)
        except TimeoutError:
            raise RegexTimeoutError(condition.pattern, utterance.index) from None
        for match in matches:
            yield Hit(f"匹配正则「{match.group(0)}」", utterance.index, match.start(),
                      match.end(), match.group(0))
            count += 1
            if count >= condition.max_hits:
                return


def _matches(condition: RegexCondition, text: str) -> list[Any]:
    """Every match in `text`, or none when the exclusion pattern matches anywhere in it."""
    exclude = condition.compiled_exclude
    if exclude is not None and exclude.search(text, timeout=TIMEOUT_SECONDS):
        return []
    return list(condition.compiled.finditer(text, timeout=TIMEOUT_SECONDS))
