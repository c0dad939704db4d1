"""`keyword`: words from a list said by the scoped role (any / all / at least N / none).

- `any` (default): every hit of any listed word is a hit.
- `all`: holds only when every listed word is said somewhere in scope (a word inside a longer
  listed one counts: "保本" in "保本保息"); then every hit is a hit.
- `at_least`: holds when the words are said `min_count` times or more in all (a word said twice
  counts twice); then every hit is a hit.
- `none`: holds, once and about the whole call, when no listed word is said in scope.

Scope: the condition's `role` (else the rule's) cut to its `window`. Phrase options
(`negation`, `pinyin`, `ignore_questions`, `negation_window`) decide which hits count.

Example::

    type: keyword
    keywords: [保本, 稳赚不赔, 保证收益]
    mode: any
    window: {first_utterances: 10}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from inspection.engine.base import RoleScope
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.phrases import HasPhrases, describe
from inspection.engine.window import Window

TYPE = "keyword"


class KeywordCondition(HasPhrases):
    type: Literal["keyword"]
    mode: Literal["any", "all", "at_least", "none"] = "any"
    min_count: int = Field(default=1, ge=1)
    role: RoleScope | None = None
    window: Window | None = None


Model = KeywordCondition


def check(condition: KeywordCondition, context: CheckContext) -> Iterator[Hit]:
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
