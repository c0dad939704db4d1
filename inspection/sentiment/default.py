"""The analyzer every entry point uses: the embedded model, else the lexicon fallback."""

from __future__ import annotations

import logging
from functools import cache

from inspection.errors import ModelLoadError
from inspection.sentiment.classifier import load_sentiment_model
from inspection.sentiment.lexicon import LexiconSentiment
from inspection.types import SentimentAnalyzer

logger = logging.getLogger(__name__)


@cache
def load_default_sentiment(model_dir: str | None = None, threads: int | None = None
                           ) -> SentimentAnalyzer:
    """`model_dir` (None: the embedded model), loaded once per process. When the embedded model
    cannot load, the lexicon fallback keeps sentiment rules working; a directory the user
    named must load, so its error is raised."""
    try:
        return load_sentiment_model(model_dir, threads=threads)
    except ModelLoadError as exc:
        if model_dir:
            raise
        logger.warning("情绪模型无法加载（%s），改用词典法", exc)
        return LexiconSentiment()
