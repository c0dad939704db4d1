"""Phrase matching on normalised Chinese text: Aho-Corasick, pinyin homophones, negation.

A `PhraseMatcher` is built once per condition at load time and run on every utterance.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import ahocorasick

from inspection.text import CLAUSE_PUNCTUATION, PreparedUtterance, normalise, to_pinyin

# Cues that negate a following keyword within its clause ("这个产品不保本").
NEGATION_CUES = (
    "并非", "并不", "并没有", "绝不", "决不", "从不", "从没", "不是", "不会", "不能", "不可能",
    "没有", "不存在", "无法", "不敢", "不保证", "不承诺", "不代表", "谈不上", "不要", "不用",
    "不可以", "请勿", "切勿", "禁止", "严禁",
)
# Single-character cues negate only right before the keyword ("不保本", not "再不处理我就去投诉").
SHORT_NEGATION_CUES = ("不", "没", "无", "未", "别", "非", "勿", "莫")
SHORT_NEGATION_REACH = 2
# Words that start with a negation character but do not negate ("非常保本" still promises).
NOT_NEGATION = (
    "非常", "无论", "不错", "不少", "不仅", "不但", "不光", "没错", "不用担心", "不必担心",
    "无忧", "不怕", "不管", "毫无疑问", "无疑", "别担心", "不好意思", "不客气", "未来", "别人",
    "无限", "不断", "不停", "莫过于", "信不信", "是不是", "要不要", "能不能", "会不会", "好不好",
    "行不行", "对不对",
)
# Cues after a keyword that deny it ("保本是不可能的").
POST_NEGATION_CUES = ("是不可能", "不可能", "是没有的", "是不存在", "不存在", "是不对的", "是错误")
# Reported speech: the agent quotes a term rather than asserting it ("所谓保本").
QUOTATION_CUES = ("所谓", "您说的", "你说的", "您说", "你说", "您问", "你问", "是不是", "是否", "有没有")
QUESTION_ENDINGS = ("吗", "么", "嘛")


@dataclass(frozen=True)
class PhraseHit:
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

    def find(self, utterance: PreparedUtterance) -> list[PhraseHit]:
        text = utterance.text
        hits = {
            (start, end): PhraseHit(phrase, start, end, text[start:end], False)
            for start, end, phrase in _iter_matches(self._text, text)
        }
        if self._pinyin is not None:
            for hit in self._find_by_pinyin(utterance):
                hits.setdefault((hit.start, hit.end), hit)
        return _drop_nested(sorted(hits.values(), key=lambda h: (h.start, -h.end)))

    def _find_by_pinyin(self, utterance: PreparedUtterance) -> Iterator[PhraseHit]:
        assert self._pinyin is not None
        joined = _pinyin_key(utterance.pinyin)
        boundaries = _boundaries(utterance.pinyin)
        for key_start, key_end, phrase in _iter_matches(self._pinyin, joined):
            start = bisect_left(boundaries, key_start)
            end = bisect_left(boundaries, key_end - 1)
            if boundaries[start] == key_start and boundaries[end] == key_end - 1:
                yield PhraseHit(phrase, start, end, utterance.text[start:end], True)


def _automaton(patterns: dict[str, str]) -> ahocorasick.Automaton | None:
    """Keys are what is searched for; each stores (key length, phrase)."""
    if not patterns:
        return None
    automaton = ahocorasick.Automaton()
    for key, phrase in patterns.items():
        automaton.add_word(key, (len(key), phrase))
    automaton.make_automaton()
    return automaton


def _iter_matches(
    automaton: ahocorasick.Automaton | None, text: str
) -> Iterator[tuple[int, int, str]]:
    if automaton is None or not text:
        return
    for end_index, (key_length, phrase) in automaton.iter(text):
        yield end_index + 1 - key_length, end_index + 1, phrase


def _pinyin_key(syllables: Sequence[str]) -> str:
    return "|" + "|".join(syllables) + "|"


def _boundaries(syllables: Sequence[str]) -> list[int]:
    """Offset in the pinyin key of the '|' before each syllable (plus the final one)."""
    offsets, position = [], 0
    for syllable in syllables:
        offsets.append(position)
        position += len(syllable) + 1
    offsets.append(position)
    return offsets


def _is_pinyin_worthy(phrase: str) -> bool:
    return sum("\u4e00" <= c <= "\u9fff" for c in phrase) >= 2


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


def is_negated(text: str, start: int, end: int, window: int = 6) -> bool:
    """True when a negation cue governs text[start:end] within its clause."""
    before = clause_before(text, start, window)
    for noise in NOT_NEGATION:
        before = before.replace(noise, "＿" * len(noise))
    if any(cue in before for cue in NEGATION_CUES):
        return True
    if any(cue in before[-SHORT_NEGATION_REACH:] for cue in SHORT_NEGATION_CUES):
        return True
    return any(clause_after(text, end, window).startswith(cue) for cue in POST_NEGATION_CUES)


def is_quoted_or_question(text: str, start: int, end: int, window: int = 8) -> bool:
    """True when the phrase is reported speech or asked as a question, not asserted."""
    if any(cue in clause_before(text, start, window) for cue in QUOTATION_CUES):
        return True
    return clause_after(text, end, window).endswith(QUESTION_ENDINGS)
