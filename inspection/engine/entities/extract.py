"""All entities of an utterance's text, each character read at most once, cached per text.

The classes are tried in `KINDS` order and a span that overlaps one already read is dropped,
so the more specific reading wins: "尾号5520" is an account tail (not a phone or amount),
"百分之一百" a percent (not the amount 一百), "2026年" a date (not a duration of 2026 years).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from types import ModuleType

from inspection.engine.entities import account_tail, amount, date, duration, percent, phone
from inspection.engine.entities.entity import Entity

# Priority order: most specific first.
KINDS: tuple[ModuleType, ...] = (account_tail, percent, date, amount, duration, phone)
ENTITY_NAMES: frozenset[str] = frozenset(kind.NAME for kind in KINDS)
ENTITY_LABELS: dict[str, str] = {kind.NAME: kind.LABEL for kind in KINDS}
_FINDERS: tuple[Callable[[str], Iterator[Entity]], ...] = tuple(kind.find for kind in KINDS)
# Every entity needs a digit, a numeral or a calendar word: text without any is skipped.
_TRIGGERS = frozenset("0123456789零〇一二两三四五六七八九十百千万幺半月周礼拜星期天今明后昨")


@lru_cache(maxsize=2048)
def find_entities(text: str) -> tuple[Entity, ...]:
    """Every entity in a normalised text, in text order, no two overlapping.

    Pure in `text`, so cached by it: every rule and condition asking about the same utterance
    shares one reading (a conversation's utterances are read once, lazily, when a rule with an
    entity item first looks at them)."""
    if _TRIGGERS.isdisjoint(text):
        return ()
    kept: list[Entity] = []
    for finder in _FINDERS:
        kept.extend(entity for entity in finder(text) if not _overlaps(entity, kept))
    return tuple(sorted(kept, key=lambda entity: entity.start))


def find_kinds(text: str, kinds: Iterable[str]) -> list[Entity]:
    """The entities of the given classes (names without "@") in a normalised text."""
    wanted = frozenset(kinds)
    return [entity for entity in find_entities(text) if entity.kind in wanted]


def _overlaps(entity: Entity, kept: list[Entity]) -> bool:
    return any(entity.start < other.end and other.start < entity.end for other in kept)
