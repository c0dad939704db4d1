"""Phrase options shared by every condition that looks for words, and their matching.

Not a condition type itself: `keyword`, `required`, `order`, `proximity` and `silence` derive
their models from `PhraseOptions` (or `HasPhrases`) and match with a `PhraseSet`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Literal

from pydantic import Field

from inspection.engine.base import ConditionModel
from inspection.engine.matching import PhraseHit, PhraseMatcher, is_negated, is_quoted_or_question
from inspection.text import PreparedUtterance


class PhraseOptions(ConditionModel):
    """`negation`: a negated phrase does not count ("不保本"). `pinyin`: also match homophones
    (宝本 for 保本); `auto` does so for voice calls only, where ASR makes such errors.
    `ignore_questions`: a phrase asked or quoted back ("保本吗？", "您说的保本") does not count."""

    negation: bool = True
    ignore_questions: bool = False
    pinyin: bool | Literal["auto"] = "auto"
    negation_window: int = Field(default=6, ge=1, le=20)


class PhraseSet:
    """A compiled list of phrases with the options that decide which hits count."""

    def __init__(self, phrases: Sequence[str], options: PhraseOptions) -> None:
        self.options = options
        self._plain = PhraseMatcher(phrases)
        self._with_pinyin = PhraseMatcher(phrases, pinyin=True) if options.pinyin else None

    @property
    def phrases(self) -> tuple[str, ...]:
        return self._plain.phrases

    def find(self, utterance: PreparedUtterance, *, voice: bool, nested: bool = False
             ) -> list[PhraseHit]:
        """The hits that count: not negated, and (with `ignore_questions`) not asked or quoted."""
        use_pinyin = self.options.pinyin is True or (self.options.pinyin == "auto" and voice)
        matcher = self._with_pinyin if use_pinyin and self._with_pinyin else self._plain
        hits = matcher.find(utterance, nested=nested)
        return [hit for hit in hits if self._counts(utterance.text, hit)] if hits else hits

    def _counts(self, text: str, hit: PhraseHit) -> bool:
        options = self.options
        if options.negation and is_negated(text, hit.start, hit.end, options.negation_window):
            return False
        return not (options.ignore_questions and is_quoted_or_question(text, hit.start, hit.end))


class HasPhrases(PhraseOptions):
    """A condition with a `keywords` list, compiled once after validation.

    Compiled matchers are cached properties, not private attributes: a check reads them for
    every utterance, and pydantic's private-attribute lookup is many times slower."""

    keywords: list[str] = Field(min_length=1)

    def model_post_init(self, context: object, /) -> None:
        _ = self.phrase_set

    @cached_property
    def phrase_set(self) -> PhraseSet:
        return PhraseSet(self.keywords, self)


def describe(hit: PhraseHit) -> str:
    how = f"（拼音匹配「{hit.phrase}」）" if hit.by_pinyin else ""
    return f"命中「{hit.text}」{how}"
