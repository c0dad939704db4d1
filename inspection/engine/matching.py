"""Phrase matching on normalised Chinese text: Aho-Corasick, and pinyin homophones judged by
`homophones.is_explained`.

A `PhraseMatcher` is built once per condition at load time and run on every utterance. Which
hits count (negation, frames, reported speech) is decided by `phrases.PhraseSet`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ahocorasick_rs import AhoCorasick, MatchKind

from inspection.engine.homophones import is_explained
from inspection.engine.negation import NEGATION_CUES, NOT_NEGATION, SHORT_NEGATION_CUES
from inspection.text import PreparedUtterance, normalise, to_pinyin

# The negation tables moved to `negation.py`; re-exported for the modules that read them here.
__all__ = ["NEGATION_CUES", "NOT_NEGATION", "SHORT_NEGATION_CUES", "PhraseHit", "PhraseMatcher"]


class PhraseHit(NamedTuple):
    phrase: str
    start: int
    end: int
    text: str
    by_pinyin: bool


class PhraseMatcher:
    """Finds any of many phrases in one pass, optionally by pinyin for ASR homophones."""

    def __init__(self, phrases: Sequence[str], *, pinyin: bool = False) -> None:
        self.phrases = tuple(dict.fromkeys(normalise(p) for p in phrases if normalise(p)))
        self._text = _automaton({p: p for p in self.phrases})
        self._pinyin = None
        if pinyin:
            keyed = {_pinyin_key(to_pinyin(p)): p for p in self.phrases if _is_pinyin_worthy(p)}
            self._pinyin = _automaton(keyed) if keyed else None

    def find(self, utterance: PreparedUtterance, *, nested: bool = False) -> list[PhraseHit]:
        """Hits in text order. A hit inside a longer one ("保本" in "保本保息") is dropped
        unless `nested`; a Latin phrase inside a longer Latin word ("sb" in "usb") never counts."""
        text = utterance.text
        hits = []
        if self._text is not None and text:
            phrases = self._text.phrases
            found = self._text.search.find_matches_as_indexes(text, overlapping=True)
            hits = [PhraseHit(phrases[i], start, end, text[start:end], False)
                    for i, start, end in found]
        if self._pinyin is not None:
            spans = {(hit.start, hit.end) for hit in hits}
            hits += [hit for hit in self._find_by_pinyin(utterance)
                     if (hit.start, hit.end) not in spans]
        if not hits:
            return hits
        hits.sort(key=_text_order)
        kept = [hit for hit in hits if _whole_latin_word(text, hit.start, hit.end)]
        return kept if nested else _drop_nested(kept)

    def _find_by_pinyin(self, utterance: PreparedUtterance) -> Iterator[PhraseHit]:
        """Homophones on whole syllables whose heard characters are not explained by known
        words (`homophones.is_explained`): "去四楼" sounds like "去死" but its "四" belongs to
        the word "四楼", so it is no hit; "全程路音" forms no word, so it is 全程录音."""
        candidates = list(_iter_matches(self._pinyin, utterance.pinyin_key))
        if not candidates:
            return
        offsets = utterance.pinyin_offsets
        text = utterance.text
        for key_start, key_end, phrase in candidates:
            start = bisect_left(offsets, key_start)
            end = bisect_left(offsets, key_end - 1)
            if (offsets[start] == key_start and offsets[end] == key_end - 1
                    and not is_explained(text, start, end, phrase)):
                yield PhraseHit(phrase, start, end, text[start:end], True)


def _text_order(hit: PhraseHit) -> tuple[int, int]:
    return hit.start, -hit.end


class _Automaton(NamedTuple):
    """An Aho-Corasick automaton over keys, and the phrase each key (by index) stands for."""

    search: AhoCorasick
    phrases: tuple[str, ...]


def _automaton(patterns: dict[str, str]) -> _Automaton | None:
    """Keys are what is searched for (the phrase itself, or its pinyin key).

    ahocorasick_rs rather than pyahocorasick: the latter scans a node's children linearly, so
    with thousands of phrases (thousands of first characters) every character costs a scan."""
    if not patterns:
        return None
    return _Automaton(AhoCorasick(list(patterns), matchkind=MatchKind.Standard),
                      tuple(patterns.values()))


def _iter_matches(automaton: _Automaton | None, text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, phrase) of every occurrence of every key, overlapping ones included."""
    if automaton is None or not text:
        return
    phrases = automaton.phrases
    for index, start, end in automaton.search.find_matches_as_indexes(text, overlapping=True):
        yield start, end, phrases[index]


def _pinyin_key(syllables: Sequence[str]) -> str:
    return "|" + "|".join(syllables) + "|"


def _is_pinyin_worthy(phrase: str) -> bool:
    return sum("\u4e00" <= c <= "\u9fff" for c in phrase) >= 2


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _whole_latin_word(text: str, start: int, end: int) -> bool:
    """No `\\b` in Chinese text, so check by hand that a phrase starting or ending in a Latin
    letter or digit is not part of a longer Latin word or number ("sb" in "usb")."""
    if start > 0 and _is_latin(text[start]) and _is_latin(text[start - 1]):
        return False
    return not (end < len(text) and _is_latin(text[end - 1]) and _is_latin(text[end]))


def _drop_nested(hits: list[PhraseHit]) -> list[PhraseHit]:
    kept: list[PhraseHit] = []
    for hit in hits:
        if kept and hit.start >= kept[-1].start and hit.end <= kept[-1].end:
            continue
        kept.append(hit)
    return kept
