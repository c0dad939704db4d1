"""Text preprocessing, computed once per conversation and shared with every check.

Each utterance becomes a `PreparedUtterance`: normalised simplified text (the coordinate system
for all evidence offsets), jieba tokens with offsets, and one pinyin syllable per character.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from importlib import resources

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


@dataclass(frozen=True)
class Token:
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


@dataclass(frozen=True)
class PreparedConversation:
    conversation: Conversation
    utterances: tuple[PreparedUtterance, ...]

    def by_role(self, role: str | None) -> tuple[PreparedUtterance, ...]:
        if role in (None, "any"):
            return self.utterances
        return tuple(u for u in self.utterances if u.role == role)


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
        return " " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else ""

    return _SPACE.sub(replace, text).strip()


@cache
def _opencc() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_opencc().convert(text))


@cache
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    with resources.as_file(resources.files("inspection") / "data" / "user_dict.txt") as path:
        tokenizer.load_userdict(str(path))
    return tokenizer


def add_words(words: Sequence[str]) -> None:
    """Teach the tokenizer rule keywords so they are not split across tokens."""
    tokenizer = _tokenizer()
    for word in words:
        if len(word) > 1 and word not in tokenizer.FREQ:
            tokenizer.add_word(word, freq=2000)


def tokenize(text: str) -> tuple[Token, ...]:
    return tuple(Token(word, start, end) for word, start, end in _tokenizer().tokenize(text))


@cache
def char_pinyin(char: str) -> str:
    """One tone-less syllable per character; non-Chinese characters map to themselves.

    The same table is used for rule keywords and for text, so homophones (宝本 / 保本)
    compare equal whatever the context reading would be.
    """
    if not "\u4e00" <= char <= "\u9fff":
        return char
    from pypinyin import Style, lazy_pinyin

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
    conversation: Conversation, sentiments: Sequence[SentimentResult] | None = None
) -> PreparedConversation:
    """Normalise, tokenise and transliterate every utterance once."""
    if sentiments is not None and len(sentiments) != len(conversation.utterances):
        raise ValueError("need exactly one sentiment result per utterance")
    prepared = tuple(
        prepare_utterance(i, u, sentiments[i] if sentiments is not None else None)
        for i, u in enumerate(conversation.utterances)
    )
    return PreparedConversation(conversation=conversation, utterances=prepared)
