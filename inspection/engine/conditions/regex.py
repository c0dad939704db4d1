"""`regex`: a regular expression on normalised text, minus an exclusion pattern.

Patterns compile at load time and run with a timeout, so a pathological pattern cannot hang
an inspection. Do not use `\\b`: word boundaries do not exist in Chinese text.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import regex
from pydantic import Field, PrivateAttr, field_validator

from inspection.engine.context import CheckContext, Hit, RoleScope, Strict, Window

TIMEOUT_SECONDS = 0.05


class RegexCondition(Strict):
    type: Literal["regex"]
    pattern: str
    exclude: str | None = None
    role: RoleScope | None = None
    window: Window | None = None
    max_hits: int = Field(default=20, ge=1)
    _pattern: Any = PrivateAttr(default=None)
    _exclude: Any = PrivateAttr(default=None)

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
        self._pattern = regex.compile(self.pattern)
        self._exclude = regex.compile(self.exclude) if self.exclude else None


def check(condition: RegexCondition, context: CheckContext) -> Iterator[Hit]:
    count = 0
    for utterance in context.scoped(condition.role, condition.window):
        text = utterance.text
        if condition._exclude is not None and condition._exclude.search(
            text, timeout=TIMEOUT_SECONDS
        ):
            continue
        for match in condition._pattern.finditer(text, timeout=TIMEOUT_SECONDS):
            yield Hit(f"匹配正则「{match.group(0)}」", utterance.index, match.start(),
                      match.end(), match.group(0))
            count += 1
            if count >= condition.max_hits:
                return
