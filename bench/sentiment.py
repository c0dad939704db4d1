"""Benchmark the embedded sentiment model against SnowNLP and a TF-IDF + logistic-regression
baseline on the held-out test splits, plus batched CPU throughput and model size.

    .venv/bin/python bench/sentiment.py [--data-dir ../shared/data/sentiment] [--model-dir DIR]

The splits come from `inspection.sentiment.training.dataset` (the same function the training
script uses),
so no test text was seen in training. The linear baseline is trained on the very same training
examples as the embedded model (call-centre utterances repeated as in training); its `C` is
chosen on the review dev split. Every analyzer is scored on the same texts; with
``--snownlp-sample N`` SnowNLP (slow) is scored on a fixed random sample of N review test texts
only, and every analyzer on that sample too. Throughput is measured for each ``--threads``
value (default 1 and 2). Needs the ``bench`` extra (scikit-learn, snownlp).
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open

from inspection.sentiment import LexiconSentiment
from inspection.sentiment.classifier import (
    BINARY_NEUTRAL_BAND,
    DEFAULT_MODEL_DIR,
    EMPTY_RESULT,
    load_sentiment_model,
)
from inspection.sentiment.training.card import write_model_card
from inspection.sentiment.training.config import TrainConfig
from inspection.sentiment.training.dataset import (
    DEFAULT_DATA_DIR,
    Dataset,
    Example,
    load_dataset,
    training_examples,
)
from inspection.sentiment.training.evaluation import evaluate, label_accuracy, review_accuracy
from inspection.sentiment.training.loss import LABELS
from inspection.types import SentimentAnalyzer, SentimentLabel, SentimentResult

logger = logging.getLogger("bench.sentiment")

SAMPLE_SEED = 5


def banded(positive: float) -> SentimentLabel:
    """Three labels from a binary P(positive), with the same neutral band as the loader."""
    if positive <= BINARY_NEUTRAL_BAND[0]:
        return "negative"
    return "positive" if positive >= BINARY_NEUTRAL_BAND[1] else "neutral"


class SnowNLPSentiment:
    """SnowNLP's bundled naive-Bayes sentiment (trained on shopping reviews) as an analyzer."""

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        # snownlp is optional (the `bench` extra) and only this contender needs it.
        from snownlp import SnowNLP

        results = []
        for text in texts:
            if not text.strip():
                results.append(EMPTY_RESULT)
                continue
            positive = float(SnowNLP(text).sentiments)
            results.append(SentimentResult(label=banded(positive), score=positive))
        return results


@dataclass(frozen=True)
class LinearBaseline:
    """Character 1–3-gram TF-IDF + logistic regression over the three labels."""

    pipeline: Any

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        probabilities = self.pipeline.predict_proba(list(texts))
        labels = [LABELS[int(target)] for target in self.pipeline.classes_]
        positive = labels.index("positive")
        return [
            SentimentResult(label=labels[int(row.argmax())], score=float(row[positive]))
            for row in probabilities
        ]


def train_linear_baseline(dataset: Dataset, repeat: int) -> tuple[LinearBaseline, float]:
    """Fit TF-IDF + LR on the training split; pick C by review dev accuracy."""
    # scikit-learn is optional (the `bench` extra): imported where the baseline is fitted.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    examples = training_examples(dataset, repeat)
    texts, targets = [e.text for e in examples], [LABELS.index(e.label) for e in examples]
    best: tuple[float, LinearBaseline | None, float] = (-1.0, None, 0.0)
    for c in (2.0, 8.0, 32.0):
        vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=2)
        pipeline = make_pipeline(vectorizer, LogisticRegression(C=c, max_iter=2000))
        pipeline.fit(texts, targets)
        baseline = LinearBaseline(pipeline)
        dev = review_accuracy(baseline.predict([e.text for e in dataset.review_dev]), dataset.review_dev)
        logger.info("TF-IDF+LR C=%g dev accuracy %.4f", c, dev)
        if dev > best[0]:
            best = (dev, baseline, c)
    assert best[1] is not None
    return best[1], best[2]


def throughput(analyzer: SentimentAnalyzer, texts: Sequence[str], rounds: int = 3) -> float:
    """Utterances per second of `predict` over `texts` (best of `rounds`)."""
    analyzer.predict(list(texts[:64]))  # warm-up
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        analyzer.predict(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best


def model_size(model_dir: Path) -> dict[str, Any]:
    """Parameter count (from the safetensors headers) and bytes on disk of a model directory."""
    parameters = 0
    for weights in model_dir.glob("*.safetensors"):
        with safe_open(str(weights), framework="pt") as handle:
            for key in handle.keys():  # noqa: SIM118 - safe_open is not a mapping
                parameters += math.prod(handle.get_slice(key).get_shape())
    size = sum(path.stat().st_size for path in model_dir.iterdir() if path.is_file())
    return {"parameters": parameters, "size_on_disk_mb": round(size / 1e6, 2)}


def review_sample(dataset: Dataset, size: int) -> list[Example]:
    """A fixed random sample of the review test split (SnowNLP is too slow for all of it)."""
    texts = list(dataset.review_test)
    return texts if size <= 0 or size >= len(texts) else random.Random(SAMPLE_SEED).sample(texts, size)


def accuracy_row(
    analyzer: SentimentAnalyzer, dataset: Dataset, sample: Sequence[Example], full: bool
) -> dict[str, float | None]:
    """Accuracy on the review test split (None when skipped), its sample and the call centre."""
    started = time.perf_counter()
    row: dict[str, float | None] = {"review_test_accuracy": None}
    if full:
        row.update(evaluate(analyzer, dataset.review_test, dataset.callcentre_test))
    else:
        calls = analyzer.predict([e.text for e in dataset.callcentre_test])
        row["callcentre_test_accuracy"] = round(label_accuracy(calls, dataset.callcentre_test), 4)
    reviews = analyzer.predict([e.text for e in sample])
    row["review_sample_accuracy"] = round(review_accuracy(reviews, sample), 4)
    logger.info("scored in %.1f s", time.perf_counter() - started)
    return row


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def render(report: dict[str, Any]) -> str:
    sizes, sampled = report["sizes"], report["sample_size"] < report["sizes"]["review_test"]
    head = f"{'analyzer':<30}{'review test':>12}" + (f"{'review sample':>15}" if sampled else "")
    counts = f"{'(texts)':<30}{sizes['review_test']:>12}"
    counts += f"{report['sample_size']:>15}" if sampled else ""
    lines = [f"{head}{'call-centre':>13}", f"{counts}{sizes['callcentre_test']:>13}"]
    for name, row in report["accuracy"].items():
        line = f"{name:<30}{_percent(row['review_test_accuracy']):>12}"
        line += f"{_percent(row['review_sample_accuracy']):>15}" if sampled else ""
        lines.append(f"{line}{_percent(row['callcentre_test_accuracy']):>13}")
    lines += [
        "reviews: binary accuracy; call-centre: 3 labels (SnowNLP neutral when 0.35 < p < 0.65)",
        f"embedded model: {report['size']['parameters']:,} parameters, "
        f"{report['size']['size_on_disk_mb']} MB on disk",
    ]
    lines += [
        f"throughput ({speed['threads']} thread(s), batch {speed['batch_size']}): "
        f"{speed['callcentre_utterances_per_s']:.0f} call-centre utterances/s, "
        f"{speed['review_texts_per_s']:.0f} review texts/s"
        for speed in report["throughput"]
    ]
    return "\n".join(lines) + "\n"


def measure_throughput(model: Any, dataset: Dataset, threads: int, batch_size: int) -> dict[str, Any]:
    """Utterances/s of the embedded model on call-centre turns and on review texts."""
    torch.set_num_threads(threads)
    calls = [e.text for e in dataset.callcentre_test] * 15
    reviews = [e.text for e in dataset.review_test]
    return {
        "threads": threads,
        "batch_size": batch_size,
        "callcentre_utterances_per_s": round(throughput(model, calls), 1),
        "review_texts_per_s": round(throughput(model, reviews, rounds=1), 1),
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    dataset = load_dataset(args.data_dir)
    sample = review_sample(dataset, args.snownlp_sample)
    model = load_sentiment_model(args.model_dir, threads=args.threads[0], batch_size=args.batch_size)
    linear, c = train_linear_baseline(dataset, TrainConfig().callcentre_repeat)
    contenders: list[tuple[str, SentimentAnalyzer, bool]] = [
        ("embedded model", model, True),
        (f"TF-IDF char1-3 + LR (C={c:g})", linear, True),
        ("SnowNLP", SnowNLPSentiment(), len(sample) == len(dataset.review_test)),
        ("zhijian lexicon fallback", LexiconSentiment(), True),
    ]
    return {
        "sizes": dataset.sizes(),
        "sample_size": len(sample),
        "accuracy": {name: accuracy_row(a, dataset, sample, full) for name, a, full in contenders},
        "size": model_size(Path(args.model_dir)),
        "throughput": [measure_throughput(model, dataset, t, args.batch_size) for t in args.threads],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="情感模型基准测试 (sentiment benchmark)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="测吞吐量的线程数（可多个）")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--snownlp-sample",
        type=int,
        default=0,
        help="SnowNLP 只评测评论测试集的固定随机样本（0 = 全部；它很慢）",
    )
    parser.add_argument("--record", action="store_true", help="把结果写入模型目录的 metrics.json 与模型卡")
    parser.add_argument("--json", type=Path, help="也把结果写成 JSON (also write the figures as JSON)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    report = run(args)
    sys.stdout.write(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    if args.record:
        record(Path(args.model_dir), report)
    return 0


def record(model_dir: Path, report: dict[str, Any]) -> None:
    """Store the report in the model's metrics.json and rewrite its model card."""
    path = model_dir / "metrics.json"
    metrics = json.loads(path.read_text(encoding="utf-8"))
    metrics["benchmark"] = report
    path.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_model_card(model_dir, metrics)


if __name__ == "__main__":
    raise SystemExit(main())
