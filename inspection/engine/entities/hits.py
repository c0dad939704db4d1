"""Entity items in phrase lists: split them from the words, and find them as phrase hits.

A `PhraseSet` keeps its words for the Aho-Corasick matcher and its entity items ("@amount")
for `find_kinds`; an entity hit is a `PhraseHit` whose `phrase` is the item ("@amount") and
whose text is the span as said, so conditions treat it like any word (phrase options such as
negation apply to it alike; pinyin does not: numbers are matched on their characters).
"""

from __future__ import annotations

from collections.abc import Sequence

from inspection.engine.entities.extract import ENTITY_LABELS, ENTITY_NAMES, find_kinds
from inspection.engine.matching import PhraseHit

ENTITY_PREFIX = "@"


def entity_name(item: str) -> str | None:
    """The class an item of a phrase list names ("@amount" → "amount"), None for a word."""
    if item.startswith(ENTITY_PREFIX) and item[1:] in ENTITY_NAMES:
        return item[1:]
    return None


def split_entity_items(items: Sequence[str]) -> tuple[list[str], tuple[str, ...]]:
    """(the plain words, the entity class names) of a phrase list."""
    words = [item for item in items if entity_name(item) is None]
    names = tuple(dict.fromkeys(name for item in items if (name := entity_name(item))))
    return words, names


def with_entity_hits(hits: list[PhraseHit], text: str, kinds: tuple[str, ...]
                     ) -> list[PhraseHit]:
    """`hits` plus a hit for every entity of `kinds` in `text`, in text order."""
    found = [PhraseHit(ENTITY_PREFIX + entity.kind, entity.start, entity.end, entity.text, False)
             for entity in find_kinds(text, kinds)]
    if not found:
        return hits
    return sorted(hits + found, key=lambda hit: (hit.start, -hit.end))


def entity_label(phrase: str) -> str:
    """The Chinese name of an entity item's class ("@amount" → "金额"), "" for a word."""
    name = entity_name(phrase)
    return ENTITY_LABELS[name] if name else ""
