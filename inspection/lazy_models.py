"""Heavy models held by the pipeline, loaded once on first use and shared by every thread.

A pipeline built for a folder of chat logs never loads whisper; a service that has received no
recording yet has not paid for it either. Loading errors (`ModelLoadError`) surface on the first
use, where the caller can report them against the file being processed.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from inspection.sentiment import load_default_sentiment
from inspection.transcription import Transcriber, TranscriberOptions, load_transcriber
from inspection.types import Conversation, SentimentAnalyzer, SentimentResult


class LazySentiment:
    """The default sentiment analyzer (`model_dir` None: the embedded model), loaded on the
    first `predict`."""

    def __init__(self, model_dir: str | None = None, threads: int | None = None) -> None:
        self.model_dir = model_dir
        self.threads = threads
        self._analyzer: SentimentAnalyzer | None = None
        self._lock = threading.Lock()

    def analyzer(self) -> SentimentAnalyzer:
        with self._lock:
            if self._analyzer is None:
                self._analyzer = load_default_sentiment(self.model_dir, self.threads)
            return self._analyzer

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        return self.analyzer().predict(texts)


class LazyTranscriber:
    """A whisper `Transcriber` with `options` (`TranscriberOptions.from_dict` values), loaded
    on the first `transcribe`."""

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.options = TranscriberOptions.from_dict(options or {})  # bad values: ValueError now
        self._transcriber: Transcriber | None = None
        self._lock = threading.Lock()

    def loaded(self) -> Transcriber:
        with self._lock:
            if self._transcriber is None:
                self._transcriber = load_transcriber(self.options)
            return self._transcriber

    def transcribe(self, path: str | Path, *, conversation_id: str | None = None,
                   metadata: dict[str, Any] | None = None) -> Conversation:
        return self.loaded().transcribe(path, conversation_id=conversation_id, metadata=metadata)
