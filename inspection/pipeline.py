"""One conversation in, one verdict out — and the same over files and folders.

    load → (transcribe) → preprocess once → sentiment once → rules → score

Sentiment runs only on the turns something reads (`sentiment_roles`): the roles the rules'
sentiment conditions look at, and always the customer's turns (coaching summarises those).
With the default packs that is the customer alone, so agent turns cost no model time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast, get_args

from pydantic import BaseModel

from inspection.engine import RuleSet, load_rules, run_rules
from inspection.engine.conditions.sentiment import SentimentCondition
from inspection.errors import InvalidInputError
from inspection.loaders import CONVERSATION_EXTENSIONS, load_conversations
from inspection.scoring import ScoringPolicy, score_findings
from inspection.text import prepare_conversation
from inspection.types import (
    Conversation,
    InspectionResult,
    Role,
    SentimentAnalyzer,
    SentimentResult,
)

logger = logging.getLogger(__name__)

AudioLoader = Callable[[Path], Conversation]


def inspect_conversation(
    conversation: Conversation,
    rules: RuleSet,
    *,
    sentiment: SentimentAnalyzer | None = None,
    sentiments: Sequence[SentimentResult | None] | None = None,
    policy: ScoringPolicy | None = None,
) -> InspectionResult:
    """Inspect one conversation against the loaded rules. Sentiment comes either from an
    analyzer (run on the `sentiment_roles` turns) or, when the caller already ran it, as one
    result per utterance (None for a turn not analysed)."""
    if sentiments is None and sentiment is not None:
        sentiments = predict_sentiment(conversation, sentiment, sentiment_roles(rules))
    # A None entry is a turn not analysed; sentiment conditions skip such turns.
    prepared = prepare_conversation(conversation, cast(Sequence[SentimentResult] | None, sentiments))
    findings = run_rules(rules, prepared)
    return score_findings(conversation, findings, policy or ScoringPolicy(rules.category_caps))


ALL_ROLES: frozenset[Role] = frozenset(get_args(Role))


def sentiment_roles(rules: RuleSet) -> frozenset[Role]:
    """The roles whose turns need sentiment: those any sentiment condition reads (its own
    `role`, else its rule's; `any` means all), plus the customer's, which coaching reads."""
    roles: set[Role] = {"customer"}
    for rule in rules.rules:
        for condition in _sentiment_conditions([rule.condition, rule.applies_condition]):
            scope = condition.role or rule.header.role
            roles |= ALL_ROLES if scope == "any" else {scope}
    return frozenset(roles)


def _sentiment_conditions(node: object) -> Iterator[SentimentCondition]:
    """Every sentiment condition in a condition tree, however deeply nested."""
    if isinstance(node, SentimentCondition):
        yield node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _sentiment_conditions(getattr(node, name))
    elif isinstance(node, list | tuple) and node and isinstance(node[0], BaseModel):
        for item in node:  # lists of conditions (not the keyword lists' strings)
            yield from _sentiment_conditions(item)


def predict_sentiment(conversation: Conversation, analyzer: SentimentAnalyzer,
                      roles: frozenset[Role] = ALL_ROLES) -> list[SentimentResult | None]:
    """One result per utterance, from one analyzer call over the turns of `roles`; None for
    the other turns."""
    wanted = [i for i, u in enumerate(conversation.utterances) if u.role in roles]
    results: list[SentimentResult | None] = [None] * len(conversation.utterances)
    predicted = analyzer.predict([conversation.utterances[i].text for i in wanted])
    for index, result in zip(wanted, predicted, strict=True):
        results[index] = result
    return results


def audio_extensions() -> frozenset[str]:
    try:
        from inspection.transcription import AUDIO_EXTENSIONS
    except ImportError:  # transcription not installed in this build
        return frozenset()
    return AUDIO_EXTENSIONS


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Expand folders into the conversation and audio files they hold (sorted, recursive)."""
    wanted = CONVERSATION_EXTENSIONS | audio_extensions()
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
        elif path.exists():
            files.append(path)
        else:
            raise InvalidInputError(str(path), "文件或目录不存在 (no such file or directory)")
    return files


def is_audio(path: Path) -> bool:
    return path.suffix.lower() in audio_extensions()


@dataclass(frozen=True)
class Loaded:
    """The conversations of one file, or the error that stopped it."""

    path: Path
    conversations: tuple[Conversation, ...] = ()
    error: InvalidInputError | None = None


def load_files(files: Sequence[Path], audio_loader: AudioLoader | None = None
               ) -> Iterator[Loaded]:
    """Load each file independently: one bad file never stops the others."""
    for path in files:
        try:
            if is_audio(path):
                if audio_loader is None:
                    raise InvalidInputError(str(path), "未配置语音转写，无法处理音频")
                yield Loaded(path, (audio_loader(path),))
            else:
                yield Loaded(path, tuple(load_conversations(path)))
        except InvalidInputError as exc:
            yield Loaded(path, error=exc)


def inspect_paths(
    paths: Sequence[Path],
    rules_dir: Path | None = None,
    *,
    sentiment: SentimentAnalyzer | None = None,
    audio_loader: AudioLoader | None = None,
) -> list[tuple[Conversation, InspectionResult]]:
    """Inspect every conversation under `paths`; raise the first file's input error."""
    rules = load_rules(rules_dir)
    results = []
    for loaded in load_files(discover(paths), audio_loader):
        if loaded.error is not None:
            raise loaded.error
        for conversation in loaded.conversations:
            results.append((conversation, inspect_conversation(conversation, rules,
                                                               sentiment=sentiment)))
    return results
