"""Long-lived things the service builds once: engine, rules, models (loaded lazily, once)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from api.auth import PrincipalCache
from api.settings import Settings
from inspection.engine import RuleSet, load_rules
from inspection.pipeline import sentiment_roles
from inspection.scoring import ScoringPolicy
from inspection.types import Conversation, Role, SentimentAnalyzer
from models import make_engine, migrate

logger = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    rules: RuleSet
    principals: PrincipalCache = field(default_factory=PrincipalCache)
    known_agents: set[tuple[str, str | None]] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _sentiment: Any = None
    _sentiment_loaded: bool = False
    _transcriber: Any = None

    @property
    def policy(self) -> ScoringPolicy:
        return ScoringPolicy(self.rules.category_caps, self.settings.review_confidence)

    @cached_property
    def sentiment_roles(self) -> frozenset[Role]:
        """The roles whose turns the rules (and coaching) need sentiment for."""
        return sentiment_roles(self.rules)

    def sentiment(self) -> SentimentAnalyzer | None:
        """The sentiment model, loaded on first use (None when disabled). Concurrent jobs
        share its calls (`SharedBatches`)."""
        with self._lock:
            if not self._sentiment_loaded and self.settings.sentiment_enabled:
                from api.sentiment_batches import SharedBatches
                from inspection.sentiment import load_default_sentiment

                self._sentiment = SharedBatches(load_default_sentiment(
                    self.settings.sentiment_model, self.settings.sentiment_threads))
            self._sentiment_loaded = True
            sentiment: SentimentAnalyzer | None = self._sentiment
            return sentiment

    def transcribe(self, path: Path, *, conversation_id: str, metadata: dict[str, Any]
                   ) -> Conversation:
        with self._lock:
            if self._transcriber is None:
                from inspection.transcription import TranscriberOptions, load_transcriber

                settings = self.settings
                options = TranscriberOptions.from_dict({
                    "device": settings.whisper_device,
                    "compute_type": settings.whisper_compute_type,
                    "batch_size": settings.whisper_batch_size,
                    "agent_channel": settings.agent_channel,
                    **({"model": settings.whisper_model} if settings.whisper_model else {}),
                })
                self._transcriber = load_transcriber(options)
        conversation: Conversation = self._transcriber.transcribe(
            path, conversation_id=conversation_id, metadata=metadata)
        return conversation


def build_services(settings: Settings) -> Services:
    """Connect, migrate the schema and load the rule packs."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return Services(settings=settings, engine=engine, rules=load_rules(settings.rules_dir))
