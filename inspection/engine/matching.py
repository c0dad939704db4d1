"""Phrase matching on normalised Chinese text: Aho-Corasick, pinyin homophones, negation.

A `PhraseMatcher` is built once per condition at load time and run on every utterance.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from ahocorasick_rs import AhoCorasick, MatchKind

from inspection.text import CLAUSE_PUNCTUATION, PreparedUtterance, normalise, to_pinyin

# Cues that negate a following keyword within its clause ("这个产品不保本").
NEGATION_CUES = (
    "并非", "并不", "并没有", "绝不", "决不", "从不", "从没", "不是", "不会", "不能", "不可能",
    "没有", "不存在", "无法", "不敢", "不保证", "不承诺", "不代表", "谈不上", "不要", "不用",
    "不可以", "请勿", "切勿", "禁止", "严禁", "不一定", "不确定",
)
# Single-character cues negate only right before the keyword ("不保本", not "再不处理我就去投诉").
SHORT_NEGATION_CUES = ("不", "没", "无", "未", "别", "非", "勿", "莫")
SHORT_NEGATION_REACH = 2
# Words that start with a negation character but do not negate ("非常保本" still promises).
NOT_NEGATION = (
    "非常", "无论", "不错", "不少", "不仅", "不但", "不光", "没错", "不用担心", "不必担心",
    "无忧", "不怕", "不管", "毫无疑问", "无疑", "别担心", "不好意思", "不客气", "未来", "别人",
    "无限", "不断", "不停", "莫过于", "信不信", "是不是", "要不要", "能不能", "会不会", "好不好",
    "行不行", "对不对", "不要担心", "不要怕", "不用怕", "别怕", "不止", "不只", "没问题",
    "不会骗", "没骗",
)
# Cues after a keyword that deny it ("保本是不可能的").
POST_NEGATION_CUES = ("是不可能", "不可能", "是没有的", "是不存在", "不存在", "是不对的", "是错误")
# Reported speech: the agent quotes a term rather than asserting it ("所谓保本").
QUOTATION_CUES = ("所谓", "您说的", "你说的", "您说", "你说", "您问", "你问", "是不是", "是否",
                  "有没有")
QUESTION_ENDINGS = ("吗", "么", "嘛")


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
        """Homophones on whole syllables that also start and end on jieba token bounds: "去四楼"
        sounds like "去死" but its "四" belongs to the word "四楼", so it is no hit."""
        candidates = list(_iter_matches(self._pinyin, utterance.pinyin_key))
        if not candidates:
            return
        offsets = utterance.pinyin_offsets
        bounds = utterance.token_bounds
        for key_start, key_end, phrase in candidates:
            start = bisect_left(offsets, key_start)
            end = bisect_left(offsets, key_end - 1)
            if (offsets[start] == key_start and offsets[end] == key_end - 1
                    and start in bounds and end in bounds):
                yield PhraseHit(phrase, start, end, utterance.text[start:end], True)


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


def clause_before(text: str, start: int, window: int) -> str:
    begin = start
    while begin > 0 and start - begin < window and text[begin - 1] not in CLAUSE_PUNCTUATION:
        begin -= 1
    return text[begin:start]


def clause_after(text: str, end: int, window: int) -> str:
    stop = end
    while stop < len(text) and stop - end < window and text[stop] not in CLAUSE_PUNCTUATION:
        stop += 1
    return text[end:stop]


def _alternation(words: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


_NOT_NEGATION = _alternation(NOT_NEGATION)
_NEGATION_CUES = _alternation(NEGATION_CUES)
_SHORT_NEGATION_CUES = frozenset(SHORT_NEGATION_CUES)


def _mask(match: re.Match[str]) -> str:
    return "＿" * len(match.group())


def is_negated(text: str, start: int, end: int, window: int = 6) -> bool:
    """True when a negation cue governs text[start:end] within its clause."""
    before = _NOT_NEGATION.sub(_mask, clause_before(text, start, window))
    if _NEGATION_CUES.search(before):
        return True
    if not _SHORT_NEGATION_CUES.isdisjoint(before[-SHORT_NEGATION_REACH:]):
        return True
    return clause_after(text, end, window).startswith(POST_NEGATION_CUES)


def is_quoted_or_question(text: str, start: int, end: int, window: int = 8) -> bool:
    """True when the phrase is reported speech or asked as a question, not asserted."""
    if any(cue in clause_before(text, start, window) for cue in QUOTATION_CUES):
        return True
    return clause_after(text, end, window).endswith(QUESTION_ENDINGS)
