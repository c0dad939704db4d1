"""Helpers for the phrase-level tests: prepare one utterance, find phrases with options."""

from __future__ import annotations

from typing import Any, Literal

from inspection.engine.phrases import PhraseOptions, PhraseSet
from inspection.text import PreparedUtterance, prepare_utterance
from inspection.types import Utterance


class Options(PhraseOptions):
    """Phrase options on their own (the engine's conditions derive from `PhraseOptions`)."""

    type: Literal["options"] = "options"


def utterance(text: str) -> PreparedUtterance:
    return prepare_utterance(0, Utterance(role="agent", text=text, start=0.0, end=1.0))


def found(phrases: list[str], text: str, *, voice: bool = True, **options: Any) -> list[str]:
    """The texts of the hits that count in `text`."""
    phrase_set = PhraseSet(phrases, Options(**options))
    return [hit.text for hit in phrase_set.find(utterance(text), voice=voice)]
