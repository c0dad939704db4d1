"""Text preprocessing, computed once per conversation and shared with every check.

Each utterance becomes a `PreparedUtterance`: normalised simplified text (the coordinate system
for all evidence offsets), jieba tokens with offsets, and one pinyin syllable per character.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any, NamedTuple

import rjieba
from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

from inspection.types import Conversation, SentimentResult, Utterance

logger = logging.getLogger(__name__)

SENTENCE_END = "。"
CLAUSE_BREAK = "，"
CLAUSE_PUNCTUATION = frozenset("，。")
_PUNCTUATION_MAP = {
    **dict.fromkeys(",、;:：；", CLAUSE_BREAK),
    **dict.fromkeys(".!?！？…~～", SENTENCE_END),
}
_QUOTES = frozenset("\"'“”‘’「」『』《》()（）[]【】")
_SPACE = re.compile(r"\s+")
_PUNCTUATION_RUN = re.compile(r"[，。]{2,}")

# Clause splitting for unpunctuated ASR text (see `PreparedUtterance.clause_starts`): a clause
# also begins at a connective token and after a sentence-final particle token.
CLAUSE_CONNECTIVES = frozenset({
    "但是", "但", "可是", "不过", "然而", "只是", "所以", "因此", "因为", "然后", "而且", "并且",
    "另外", "其实", "实际上", "况且", "何况", "再说", "如果", "要是", "假如", "万一",
})
CLAUSE_FINAL_PARTICLES = frozenset({
    "吗", "么", "吧", "呢", "啊", "呀", "嘛", "哈", "哦", "喔", "啦", "嘞", "呗", "哟",
})


class Token(NamedTuple):
    word: str
    start: int
    end: int


@dataclass(frozen=True)
class PreparedUtterance:
    index: int
    utterance: Utterance
    text: str
    tokens: tuple[Token, ...]
    pinyin: tuple[str, ...]
    sentiment: SentimentResult | None = None

    @property
    def role(self) -> str:
        return self.utterance.role

    @cached_property
    def token_bounds(self) -> frozenset[int]:
        """Every offset where a token starts or ends."""
        return frozenset(o for token in self.tokens for o in (token.start, token.end))

    @cached_property
    def clause_starts(self) -> tuple[int, ...]:
        """Where each clause begins, ascending, 0 first (see `clause_starts`)."""
        return clause_starts(self.text, self.tokens)

    def clause_span(self, offset: int) -> tuple[int, int]:
        """(start, end) of the clause holding the character at `offset`; the end excludes the
        punctuation that closes it."""
        starts = self.clause_starts
        index = bisect_right(starts, offset) - 1
        start = starts[max(index, 0)]
        end = starts[index + 1] if index + 1 < len(starts) else len(self.text)
        while end > start and self.text[end - 1] in CLAUSE_PUNCTUATION:
            end -= 1
        return start, end

    @cached_property
    def pinyin_key(self) -> str:
        """The syllables joined as "|ni|hao|": pinyin phrase keys match on syllable bounds."""
        return "|" + "|".join(self.pinyin) + "|"

    @cached_property
    def pinyin_offsets(self) -> tuple[int, ...]:
        """Offset in `pinyin_key` of the "|" before each character's syllable, and the last."""
        offsets, position = [], 0
        for syllable in self.pinyin:
            offsets.append(position)
            position += len(syllable) + 1
        offsets.append(position)
        return tuple(offsets)


@dataclass(frozen=True)
class PreparedConversation:
    conversation: Conversation
    utterances: tuple[PreparedUtterance, ...]

    def by_role(self, role: str | None) -> tuple[PreparedUtterance, ...]:
        if role in (None, "any"):
            return self.utterances
        return self._roles.get(role or "", ())

    @cached_property
    def _roles(self) -> dict[str, tuple[PreparedUtterance, ...]]:
        return {role: tuple(u for u in self.utterances if u.role == role)
                for role in ("agent", "customer")}


def normalise(text: str) -> str:
    """NFKC width folding, traditional→simplified, lower-case, canonical punctuation.

    Spaces are dropped between Chinese characters (ASR and chat insert them at random) and
    kept as one space between Latin words. Quotes and brackets are dropped.
    """
    text = to_simplified(unicodedata.normalize("NFKC", text)).lower()
    out: list[str] = []
    for char in text:
        if char in _QUOTES:
            continue
        out.append(_PUNCTUATION_MAP.get(char, char))
    text = _PUNCTUATION_RUN.sub(lambda m: SENTENCE_END if SENTENCE_END in m.group() else
                                CLAUSE_BREAK, "".join(out))
    return _squeeze_spaces(text)


def _squeeze_spaces(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        latin = before.isascii() and before.isalnum() and after.isascii() and after.isalnum()
        return " " if latin else ""

    return _SPACE.sub(replace, text).strip()


@cache
def _opencc() -> Any:
    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified; text with no character the conversion would touch is
    returned as is (most of it: the converter is pure Python and slow)."""
    triggers = _t2s_triggers()
    if triggers is not None:
        changing, phrases = triggers
        if changing.isdisjoint(text) and not any(p in text for p in phrases):
            return text
    return str(_opencc().convert(text))


@cache
def _t2s_triggers() -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The characters t2s changes, and the few phrases it changes that hold none of them.

    Read from the converter's dictionaries; None (convert every text) when their layout is
    not the one expected."""
    try:
        tables = [table for group in _opencc()._dict_chain_data for _, _, table in group]
    except (AttributeError, TypeError, ValueError):
        logger.warning("opencc dictionaries not readable: converting every text")
        return None
    changing = frozenset(key for table in tables for key, value in table.items()
                         if len(key) == 1 and key != value)
    phrases = tuple(key for table in tables for key, value in table.items()
                    if len(key) > 1 and key != value and changing.isdisjoint(key))
    return changing, phrases


@cache
def _tokenizer() -> Any:
    """jieba's dictionary and algorithm, compiled (jieba-rs through rjieba: same tokens, about
    ten times faster than pure-Python jieba), plus the domain user dictionary."""
    tokenizer = rjieba.Jieba()
    for word, frequency, tag in user_dictionary():
        tokenizer.add_word(word, frequency, tag)
    return tokenizer


def user_dictionary() -> list[tuple[str, int | None, str | None]]:
    """The finance terms (理财, 保本, 验证码, 犹豫期 …) as (word, frequency, part of speech)."""
    text = (resources.files("inspection") / "data" / "user_dict.txt").read_text("utf-8")
    entries = []
    for line in text.splitlines():
        word, *rest = line.split() or [""]
        if word:
            frequency = int(rest[0]) if rest else None
            entries.append((word, frequency, rest[1] if len(rest) > 1 else None))
    return entries


def tokenize(text: str) -> tuple[Token, ...]:
    return tuple(map(Token._make, _tokenizer().tokenize(text)))


def clause_starts(text: str, tokens: Sequence[Token]) -> tuple[int, ...]:
    """The offsets where clauses begin in normalised `text`: 0, after each ，/。, at each
    connective token (但是, 所以, 然后, 而且, 如果 …) and after each sentence-final particle token
    (吗, 吧, 呢, 啊 …), so unpunctuated ASR text ("保本吗您放心保本的") still splits."""
    starts = {0}
    starts.update(i + 1 for i, char in enumerate(text) if char in CLAUSE_PUNCTUATION)
    for token in tokens:
        if token.word in CLAUSE_CONNECTIVES:
            starts.add(token.start)
        elif token.word in CLAUSE_FINAL_PARTICLES:
            starts.add(token.end)
    return tuple(sorted(offset for offset in starts if offset < len(text) or offset == 0))


@cache
def char_pinyin(char: str) -> str:
    """One tone-less syllable per character; non-Chinese characters map to themselves.

    The same table is used for rule keywords and for text, so homophones (宝本 / 保本)
    compare equal whatever the context reading would be.
    """
    if not "\u4e00" <= char <= "\u9fff":
        return char
    return lazy_pinyin(char, style=Style.NORMAL)[0]


def to_pinyin(text: str) -> tuple[str, ...]:
    return tuple(char_pinyin(char) for char in text)


def prepare_utterance(
    index: int, utterance: Utterance, sentiment: SentimentResult | None = None
) -> PreparedUtterance:
    text = normalise(utterance.text)
    return PreparedUtterance(
        index=index,
        utterance=utterance,
        text=text,
        tokens=tokenize(text),
        pinyin=to_pinyin(text),
        sentiment=sentiment,
    )


def prepare_conversation(
    conversation: Conversation, sentiments: Sequence[SentimentResult | None] | None = None
) -> PreparedConversation:
    """Normalise, tokenise and transliterate every utterance once."""
    if sentiments is not None and len(sentiments) != len(conversation.utterances):
        raise ValueError("need exactly one sentiment result per utterance")
    prepared = tuple(
        prepare_utterance(i, u, sentiments[i] if sentiments is not None else None)
        for i, u in enumerate(conversation.utterances)
    )
    return PreparedConversation(conversation=conversation, utterances=prepared)
