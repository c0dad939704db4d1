"""Accuracy measures shared by the training script and `bench/sentiment.py`.

Reviews are binary (negative / positive): an answer counts as positive when its `score` ≥ 0.5,
the threshold scale rules use (for a three-label model's non-neutral label this is its label).
Call-centre utterances are scored on the three labels exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from inspection.sentiment.training.dataset import Example
from inspection.types import SentimentAnalyzer, SentimentLabel, SentimentResult

ECE_BINS = 15


def binary_label(result: SentimentResult) -> SentimentLabel:
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


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool],
                               bins: int = ECE_BINS) -> float:
    """ECE: the bin-size-weighted mean |accuracy − mean confidence| over equal-width bins."""
    if not confidences:
        return 0.0
    total = 0.0
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        members = [i for i, c in enumerate(confidences)
                   if low < c <= high or (index == 0 and c == low)]
        if members:
            accuracy = sum(correct[i] for i in members) / len(members)
            confidence = sum(confidences[i] for i in members) / len(members)
            total += len(members) * abs(accuracy - confidence)
    return total / len(confidences)


def label_probabilities(analyzer: object, texts: Sequence[str], batch_size: int = 64
                        ) -> list[dict[str, float]] | None:
    """Per text, the probability of each of zhijian's labels, for an analyzer that exposes
    `probabilities` and `labels` (a loaded model); None for one that does not."""
    probabilities, labels = getattr(analyzer, "probabilities", None), getattr(analyzer, "labels", None)
    if probabilities is None or labels is None:
        return None
    rows: list[dict[str, float]] = [{} for _ in texts]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        for index, row in zip(chunk, probabilities([texts[i] or " " for i in chunk]), strict=True):
            for label, value in zip(labels, row, strict=True):
                rows[index][label] = rows[index].get(label, 0.0) + value
    return rows


def split_figures(analyzer: SentimentAnalyzer, examples: Sequence[Example], binary: bool
                  ) -> dict[str, float | None]:
    """Accuracy, ECE and share labelled neutral of `analyzer` on one split. Binary (review)
    splits: correct when score ≥ 0.5 matches the label, confidence max(score, 1 − score).
    Three-label splits: the arg-max label and its probability (ECE None without probabilities)."""
    texts = [e.text for e in examples]
    results = analyzer.predict(texts)
    neutral = sum(r.label == "neutral" for r in results) / max(1, len(results))
    if binary:
        correct = [binary_label(r) == e.label for r, e in zip(results, examples, strict=True)]
        ece: float | None = expected_calibration_error([max(r.score, 1 - r.score) for r in results],
                                                       correct)
    else:
        correct = [r.label == e.label for r, e in zip(results, examples, strict=True)]
        rows = label_probabilities(analyzer, texts)
        ece = None if rows is None else expected_calibration_error(
            [max(row.values()) for row in rows],
            [max(row, key=lambda k: row[k]) == e.label for row, e in zip(rows, examples, strict=True)])
    return {"accuracy": round(sum(correct) / max(1, len(correct)), 4),
            "ece": None if ece is None else round(ece, 4), "neutral_share": round(neutral, 4)}


def wilson_interval(hits: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 % by default) of a proportion hits/total."""
    if total == 0:
        return (0.0, 1.0)
    p = hits / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return (max(0.0, centre - half), min(1.0, centre + half))
