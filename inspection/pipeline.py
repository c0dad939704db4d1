"""One conversation in, one verdict out: the only door from the CLI, the job runner and the
Celery worker into the core.

    load file ─┐
    transcribe ┴─► redact ─► preprocess once ─► sentiment once ─► rules ─► score

`Pipeline` holds what the stages need (rule set, sentiment analyzer, sentence encoder for
`similar` rules, transcriber, scoring policy, whether to redact) and offers one method per
entry: `inspect_conversation` (a conversation or its canonical dict), `inspect_audio` (a
recording), `inspect_file` (any file `zhijian inspect` reads), plus `transcribe` and `redact`
for the stages on their own.
Redaction is on by default everywhere, so no door lets personal numbers reach storage or output
(`redact=False` is for a user who must read raw text on their own machine).

Sentiment runs only on the turns something reads (`RuleSet.sentiment_roles`): with the default
packs the customer's alone, so agent turns cost no model time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspection.embeddings import Embedder, shared_embedder
from inspection.engine import RuleSet, load_rules, run_rules
from inspection.errors import InvalidInputError
from inspection.lazy_models import LazySentiment, LazyTranscriber
from inspection.loaders import CONVERSATION_EXTENSIONS, conversation_from_dict, load_conversations
from inspection.recording_metadata import RecordingMetadata, drop_sidecars, read_sidecar
from inspection.redaction import RedactedSpan, redact_conversation
from inspection.scoring import (
    DEFAULT_REVIEW_CONFIDENCE,
    DEFAULT_VETO_APPLIES,
    ScoringPolicy,
    VetoApplies,
    score_findings,
)
from inspection.text import prepare_conversation
from inspection.transcription import AUDIO_EXTENSIONS, Transcriber
from inspection.types import (
    Conversation,
    InspectionResult,
    Role,
    SentimentAnalyzer,
    SentimentResult,
)

logger = logging.getLogger(__name__)

SentimentWrapper = Callable[[SentimentAnalyzer], SentimentAnalyzer]


@dataclass(frozen=True)
class PipelineSettings:
    """Everything a `Pipeline` is built from; the CLI and the service fill it from their options."""

    rules_dir: Path | None = None
    redact: bool = True
    sentiment_enabled: bool = True
    sentiment_model: str | None = None  # a model dir, or "m3e-small" (research-only licence)
    sentiment_threads: int | None = None
    transcriber: Mapping[str, Any] = field(default_factory=dict)  # TranscriberOptions.from_dict
    review_confidence: float = DEFAULT_REVIEW_CONFIDENCE
    sentence_encoder: str | None = None  # `similar` rules: None = USE multilingual v3, or a model dir
    veto_applies: VetoApplies = DEFAULT_VETO_APPLIES  # a machine veto counts once confirmed


@dataclass(frozen=True)
class Transcript:
    """A recording as a conversation, redacted, and where the masked numbers were said."""

    conversation: Conversation
    redactions: tuple[RedactedSpan, ...] = ()


@dataclass(frozen=True)
class PipelineResult:
    """One inspected conversation: its (redacted) text, the spans masked, the sentiment of each
    turn (None for a turn not analysed; None overall without an analyzer) and the verdict."""

    conversation: Conversation
    redactions: tuple[RedactedSpan, ...]
    sentiments: tuple[SentimentResult | None, ...] | None
    result: InspectionResult


class Pipeline:
    """The stages, in order, over one conversation at a time. Thread-safe: the service's job
    threads share one pipeline (heavy models load once, on first use)."""

    def __init__(self, rules: RuleSet, *, sentiment: SentimentAnalyzer | None = None,
                 transcriber: Transcriber | LazyTranscriber | None = None, redact: bool = True,
                 policy: ScoringPolicy | None = None, embedder: Embedder | None = None) -> None:
        self.rules = rules
        self.embedder = embedder or shared_embedder()  # loads when a `similar` rule first runs
        self.sentiment = sentiment
        self.transcriber = transcriber
        self.redacts = redact
        self.policy = policy or ScoringPolicy(rules.category_caps)

    @classmethod
    def from_settings(cls, settings: PipelineSettings, *,
                      share_sentiment: SentimentWrapper | None = None) -> Pipeline:
        """Load the rule packs now; the sentiment model and whisper load on first use.
        `share_sentiment` wraps the analyzer (the service batches calls across jobs)."""
        sentiment: SentimentAnalyzer | None = None
        if settings.sentiment_enabled:
            sentiment = LazySentiment(settings.sentiment_model, settings.sentiment_threads)
            if share_sentiment is not None:
                sentiment = share_sentiment(sentiment)
        rules = load_rules(settings.rules_dir)
        return cls(rules, sentiment=sentiment, transcriber=LazyTranscriber(settings.transcriber),
                   redact=settings.redact, embedder=shared_embedder(settings.sentence_encoder),
                   policy=ScoringPolicy(rules.category_caps, settings.review_confidence,
                                        settings.veto_applies))

    @property
    def sentiment_roles(self) -> frozenset[Role]:
        return self.rules.sentiment_roles

    # -- the entries ---------------------------------------------------------------------

    def inspect_conversation(self, conversation: Conversation | Mapping[str, Any], *,
                             source: str = "conversation") -> PipelineResult:
        """Redact → preprocess → sentiment → rules → score. A dict is validated as canonical
        conversation JSON first (`InvalidInputError` naming `source` and the field)."""
        if not isinstance(conversation, Conversation):
            conversation = conversation_from_dict(conversation, source=source)
        redacted, spans = self.redact(conversation)
        return self._inspect_redacted(redacted, tuple(spans))

    def inspect_audio(self, path: Path, *, conversation_id: str | None = None,
                      metadata: Mapping[str, Any] | None = None,
                      recording: RecordingMetadata | None = None) -> PipelineResult:
        """Transcribe → redact → … → score. `AudioError` for an unusable recording.
        `recording`: the fields a sidecar or metadata CSV gives (`recording_metadata`)."""
        transcript = self.transcribe(path, conversation_id=conversation_id, metadata=metadata,
                                     recording=recording)
        return self._inspect_redacted(transcript.conversation, transcript.redactions)

    def inspect_file(self, path: Path) -> list[PipelineResult]:
        """Every conversation in one file `zhijian inspect` reads (JSON, JSON Lines, chat CSV or
        a recording, with the fields of its sidecar `.json` when it has one)."""
        if is_audio(path):
            return [self.inspect_audio(path, recording=read_sidecar(path))]
        return [self.inspect_conversation(c) for c in self.load_file(path)]

    # -- stages on their own -------------------------------------------------------------

    def load_file(self, path: Path) -> list[Conversation]:
        """The conversations of a JSON, JSON Lines or chat CSV file (not yet redacted: pass
        them to `inspect_conversation`)."""
        return load_conversations(path)

    def transcribe(self, path: Path, *, conversation_id: str | None = None,
                   metadata: Mapping[str, Any] | None = None,
                   recording: RecordingMetadata | None = None) -> Transcript:
        """A recording as a redacted conversation, with the `recording`'s fields when given."""
        if self.transcriber is None:
            raise InvalidInputError(str(path), "未配置语音转写，无法处理音频 (no transcriber configured)")
        conversation = self.transcriber.transcribe(path, conversation_id=conversation_id,
                                                   metadata=dict(metadata or {}))
        if recording is not None:
            conversation = recording.applied_to(conversation)
        redacted, spans = self.redact(conversation)
        return Transcript(redacted, tuple(spans))

    def load_sentiment(self) -> None:
        """Load the sentiment model now (server start) rather than inside the first job."""
        if self.sentiment is not None:
            self.sentiment.predict(["您好"])

    def load_transcriber(self) -> None:
        """Load whisper now rather than on the first recording (`ModelLoadError` if it cannot)."""
        if isinstance(self.transcriber, LazyTranscriber):
            self.transcriber.loaded()

    def redact(self, conversation: Conversation) -> tuple[Conversation, list[RedactedSpan]]:
        """Mask personal numbers (a no-op when this pipeline was built with `redact=False`)."""
        if not self.redacts:
            return conversation, []
        return redact_conversation(conversation)

    def _inspect_redacted(self, conversation: Conversation, spans: tuple[RedactedSpan, ...]
                          ) -> PipelineResult:
        sentiments = self._predict_sentiment(conversation)
        prepared = prepare_conversation(conversation, sentiments)
        findings = run_rules(self.rules, prepared, embedder=self.embedder)
        result = score_findings(conversation, findings, self.policy)
        return PipelineResult(conversation, spans, sentiments, result)

    def _predict_sentiment(self, conversation: Conversation
                           ) -> tuple[SentimentResult | None, ...] | None:
        """One analyzer call over the turns of `sentiment_roles`; None for the other turns."""
        if self.sentiment is None:
            return None
        roles = self.sentiment_roles
        wanted = [i for i, u in enumerate(conversation.utterances) if u.role in roles]
        results: list[SentimentResult | None] = [None] * len(conversation.utterances)
        predicted = self.sentiment.predict([conversation.utterances[i].text for i in wanted])
        for index, result in zip(wanted, predicted, strict=True):
            results[index] = result
        return tuple(results)


def is_audio(path: Path) -> bool:
    return path.suffix.lower() in AUDIO_EXTENSIONS


def discover(paths: Sequence[str | Path]) -> list[Path]:
    """Expand folders into the conversation and audio files they hold (sorted, recursive),
    leaving out the `.json` sidecar of a recording that is in the list too."""
    wanted = CONVERSATION_EXTENSIONS | AUDIO_EXTENSIONS
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in wanted)
        elif path.exists():
            files.append(path)
        else:
            raise InvalidInputError(str(path), "文件或目录不存在 (no such file or directory)")
    return drop_sidecars(files, AUDIO_EXTENSIONS)


__all__ = ["Pipeline", "PipelineResult", "PipelineSettings", "Transcript", "discover", "is_audio"]
