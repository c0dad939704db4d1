"""`keyword`: words from a list said by the scoped role (any / all / at least N / none)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from inspection.engine.conditions.phrases import HasPhrases, describe
from inspection.engine.context import CheckContext, Hit, RoleScope, Window


class KeywordCondition(HasPhrases):
    type: Literal["keyword"]
    mode: Literal["any", "all", "at_least", "none"] = "any"
    min_count: int = Field(default=1, ge=1)
    role: RoleScope | None = None
    window: Window | None = None


def check(condition: KeywordCondition, context: CheckContext) -> Iterator[Hit]:
    """`at_least` counts hits (a word said twice counts twice); `all` needs every listed word,
    a word inside a longer listed one included ("保本" in "保本保息")."""
    voice = context.prepared.conversation.channel == "voice"
    nested = condition.mode == "all"
    found = [
        (utterance, phrase_hit)
        for utterance in context.scoped(condition.role, condition.window)
        for phrase_hit in condition.phrase_set.find(utterance, voice=voice, nested=nested)
    ]
    if condition.mode == "none":
        if not found:
            yield Hit(f"未出现任一关键词：{'、'.join(condition.keywords[:5])}")
        return
    if condition.mode == "all" and not set(condition.phrase_set.phrases) <= {
        phrase_hit.phrase for _, phrase_hit in found
    }:
        return
    if condition.mode == "at_least" and len(found) < condition.min_count:
        return
    for utterance, phrase_hit in found:
        yield Hit(describe(phrase_hit), utterance.index, phrase_hit.start, phrase_hit.end,
                  phrase_hit.text)
