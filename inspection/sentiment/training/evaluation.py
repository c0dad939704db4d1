"""Accuracy measures shared by the training script and `bench/sentiment.py`.

Reviews are binary (negative / positive): an analyzer's answer counts as its label, except that
a ``neutral`` answer falls back on its score (positive when P(positive) ≥ 0.5). Call-centre
utterances are scored on the three labels exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

from inspection.sentiment.training.dataset import Example
from inspection.types import SentimentAnalyzer, SentimentLabel, SentimentResult


def binary_label(result: SentimentResult) -> SentimentLabel:
    if result.label != "neutral":
        return result.label
    return "positive" if result.score >= 0.5 else "negative"


def review_accuracy(results: Sequence[SentimentResult], examples: Sequence[Example]) -> float:
    hits = sum(binary_label(r) == e.label for r, e in zip(results, examples, strict=True))
    return hits / max(1, len(examples))


def label_accuracy(results: Sequence[SentimentResult], examples: Sequence[Example]) -> float:
    hits = sum(r.label == e.label for r, e in zip(results, examples, strict=True))
    return hits / max(1, len(examples))


def evaluate(
    analyzer: SentimentAnalyzer,
    review_test: Sequence[Example],
    callcentre_test: Sequence[Example],
) -> dict[str, float]:
    """Review (binary) and call-centre (three-label) accuracy, rounded to 4 places."""
    reviews = analyzer.predict([e.text for e in review_test])
    calls = analyzer.predict([e.text for e in callcentre_test])
    return {
        "review_test_accuracy": round(review_accuracy(reviews, review_test), 4),
        "callcentre_test_accuracy": round(label_accuracy(calls, callcentre_test), 4),
    }
