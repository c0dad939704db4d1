"""Homophones, both ways: is a sound-alike reading of ASR text right?

Pinyin matching finds every span that sounds like a phrase (码的 sounds like 妈的, 路音 like
录音). The criterion is the explanation, not the jieba token boundary: a sound-alike reading is
wrong when the characters heard already form known words that account for the sound, and right
when they do not. The heard span is explained when a character that differs from the phrase
(in 码的 for 妈的, the 码) lies in a known word of 2–4 characters, inside the span or across its
edge, or when a known word runs across the span's edge (路音乐 is 路 + 音乐, 报本期 is 报 +
本期). "Known": in jieba's dictionary (or the domain user dictionary) with a frequency at least
1/`RIVAL_RATIO` of the phrase's own (0 when the phrase is not in the dictionary). So 号码 + 的
(号码: 980) and 四楼 for 去死 explain the sound and are no hit, while 路音, 宝本, 头诉, 烧等,
他吗的 form no word and are read as the phrase, and so are 程陆 in 全程陆音 (程陆: 32, against
录音's 2000) and 演证 in 演证码 (3, against 验证码's 3000): rare dictionary entries do not
outweigh the phrase they garble.

Measured limits (tests/inspection/engine/test_homophones.py): a substituted character that is a
word on its own ("那个码的时候") is not explained, so 妈的 is found there (the packs match 妈的
by its characters only); a garbled span that is a dictionary word while the phrase is not
(沙比, frequency 6, for 傻逼) is explained, so 傻逼 is missed there; two single-character
words that happen to sound like the phrase ("我在见客户") are not explained.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from inspection.text import user_dictionary

# Word lengths looked up around a substituted character.
MIN_WORD_CHARS, MAX_WORD_CHARS = 2, 4
# A heard word explains the sound when at least this fraction as frequent as the phrase.
RIVAL_RATIO = 10
_ENTRY = re.compile(r"^(\S{2,4}) (\d+)", re.MULTILINE)


def is_explained(text: str, start: int, end: int, phrase: str) -> bool:
    """True when the characters heard at `text[start:end]` (same length and sound as
    `phrase`) are accounted for by known words, so the phrase was not said: a character that
    differs from the phrase lies in a known word, or a known word runs across the span's edge
    ("路音乐" is 路 + 音乐, "报本期" is 报 + 本期)."""
    floor = word_frequency(phrase) / RIVAL_RATIO
    if _in_known_word(text, start, floor, outside=(start, end)) or _in_known_word(
            text, end - 1, floor, outside=(start, end)):
        return True
    return any(text[i] != phrase[i - start] and _in_known_word(text, i, floor)
               for i in range(start, min(end, start + len(phrase))))


def word_frequency(word: str) -> int:
    """The word's frequency in jieba's dictionary or the user dictionary (the larger); 0 when
    in neither."""
    return _frequencies().get(word, 0)


def _in_known_word(text: str, index: int, floor: float,
                   outside: tuple[int, int] | None = None) -> bool:
    """Whether the character at `index` belongs to a word of 2–4 characters in `text` whose
    frequency is at least `floor` (and at least 1); with `outside`, only a word that also
    reaches beyond that span counts."""
    for length in range(MIN_WORD_CHARS, MAX_WORD_CHARS + 1):
        for begin in range(max(0, index - length + 1), min(index, len(text) - length) + 1):
            if outside and outside[0] <= begin and begin + length <= outside[1]:
                continue
            if _known(text[begin:begin + length], floor):
                return True
    return False


def _known(word: str, floor: float) -> bool:
    frequency = word_frequency(word)
    return frequency >= max(floor, 1)


@cache
def _frequencies() -> dict[str, int]:
    """Words of 2–4 characters with their frequencies: jieba's dictionary (read once, about a
    second) and the domain user dictionary."""
    text = (resources.files("jieba") / "dict.txt").read_text("utf-8")
    frequencies = {word: int(count) for word, count in _ENTRY.findall(text)}
    for word, frequency, _ in user_dictionary():
        if MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS and frequency:
            frequencies[word] = max(frequencies.get(word, 0), frequency)
    return frequencies
