"""Phrase options shared by every condition that looks for words, and their matching.

Not a condition type itself: `keyword`, `required`, `order`, `proximity` and `silence` derive
their models from `PhraseOptions` (or `HasPhrases`) and match with a `PhraseSet`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from typing import Literal

from pydantic import Field

from inspection.engine.base import ConditionModel
from inspection.engine.entities import entity_label, split_entity_items, with_entity_hits
from inspection.engine.frames import DEFAULT_FRAMES, compile_frames, in_frame
from inspection.engine.matching import PhraseHit, PhraseMatcher
from inspection.engine.negation import is_negated
from inspection.engine.reported import is_asked, is_reported
from inspection.text import PreparedUtterance


class PhraseOptions(ConditionModel):
    """Which of the phrases found count.

    - `negation`: a phrase negated in its clause does not count ("不保本", "市面上没有一款理财
      敢承诺保本"; `negation.py`); a cue reaches back at most `negation_window` characters.
    - `ignore_questions`: a phrase asked, quoted or reported does not count ("保本吗？", "您说的
      保本", "您朋友推荐的那个保收益的"; `reported.py`). `ignore_reported`: only a quoted or
      reported one (for rules whose phrases are themselves questions: "你听不懂吗").
    - `frames`: a phrase in the same sentence as a warning or anti-fraud reminder does not
      count ("提醒您谨防冒充客服索要卡密"; `frames.py`): `true` for the documented
      `DEFAULT_FRAMES`, or a list of cues ("A…B" for A then B).
    - `pinyin`: also match homophones (宝本 for 保本) whose heard characters form no known word
      (`homophones.py`); `auto` does so for voice calls only, where ASR makes such errors."""

    negation: bool = True
    ignore_questions: bool = False
    ignore_reported: bool = False
    frames: bool | list[str] = False
    pinyin: bool | Literal["auto"] = "auto"
    negation_window: int = Field(default=12, ge=1, le=20)

    @cached_property
    def frame_pattern(self) -> re.Pattern[str] | None:
        """The compiled frame cues, None when `frames` is off."""
        if self.frames is False or self.frames == []:
            return None
        return compile_frames(DEFAULT_FRAMES if self.frames is True else self.frames)


class PhraseSet:
    """A compiled list of phrases with the options that decide which hits count."""

    def __init__(self, phrases: Sequence[str], options: PhraseOptions) -> None:
        self.options = options
        words, self._entities = split_entity_items(phrases)  # "@amount": entities/hits.py
        self._plain = PhraseMatcher(words)
        self._with_pinyin = PhraseMatcher(words, pinyin=True) if options.pinyin else None

    @property
    def phrases(self) -> tuple[str, ...]:
        return self._plain.phrases + tuple(f"@{name}" for name in self._entities)

    def find(self, utterance: PreparedUtterance, *, voice: bool, nested: bool = False
             ) -> list[PhraseHit]:
        """The hits that count: not negated, not asked or reported (`ignore_questions`), not
        framed by a warning (`frames`)."""
        use_pinyin = self.options.pinyin is True or (self.options.pinyin == "auto" and voice)
        matcher = self._with_pinyin if use_pinyin and self._with_pinyin else self._plain
        hits = matcher.find(utterance, nested=nested)
        if self._entities:
            hits = with_entity_hits(hits, utterance.text, self._entities)
        return [hit for hit in hits if self._counts(utterance, hit)] if hits else hits

    def _counts(self, utterance: PreparedUtterance, hit: PhraseHit) -> bool:
        options, text = self.options, utterance.text
        clause = utterance.clause_span(hit.start)
        window = options.negation_window
        if options.negation and is_negated(text, clause, hit.start, hit.end, window):
            return False
        if (options.ignore_questions or options.ignore_reported) and is_reported(
                text, clause, hit.start, hit.end, window):
            return False
        if options.ignore_questions and is_asked(text, clause, hit.start, hit.end, window):
            return False
        frames = options.frame_pattern
        return frames is None or not in_frame(text, hit.start, hit.end, frames)


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
    return f"命中{entity_label(hit.phrase)}「{hit.text}」{how}"
