"""Entity classes: spans of an utterance read as amounts, rates, card tails, dates, durations
and phone numbers, usable wherever a phrase list is (`@amount` beside plain words).

    find_entities("您这期得还九千出头") -> (Entity("amount", 5, 9, "九千出头", 9000.0, "元", True),)

Classes (one module each, its docstring listing what it reads and what it does not):
`@amount` (`amount`), `@percent`, `@account_tail`, `@date`, `@duration`, `@phone`. Numerals
are read by `cn2an` (`numerals`). Extraction (`extract`) runs on normalised text (the offsets
of evidence), tries the classes in priority order so no character is read twice, and is cached
per text.

In a rule, an item "@amount" in a phrase list (`keyword`, `required`, `order`, `proximity`,
`silence`) matches any span of that class; the hit's text (the evidence) is the span as said.
The names are reserved: a pack's `lists:` may not define a list of the same name.
"""

from inspection.engine.entities.entity import Entity
from inspection.engine.entities.extract import (
    ENTITY_LABELS,
    ENTITY_NAMES,
    find_entities,
    find_kinds,
)
from inspection.engine.entities.hits import (
    ENTITY_PREFIX,
    entity_label,
    entity_name,
    split_entity_items,
    with_entity_hits,
)

__all__ = ["ENTITY_LABELS", "ENTITY_NAMES", "ENTITY_PREFIX", "Entity", "entity_label",
           "entity_name", "find_entities", "find_kinds", "split_entity_items",
           "with_entity_hits"]
