"""Benchmark the default sentiment model against the opt-in m3e-small fine-tune (when built),
a TF-IDF + logistic-regression baseline, SnowNLP and the lexicon fallback, in one run.

    .venv/bin/python bench/sentiment.py [--data-dir ../shared/data/sentiment] [--model-dir DIR]
                                        [--snownlp-sample N] [--no-quantised] [--record]

Per analyzer: accuracy with `score` ≥ 0.5 on each review corpus's test split and on all of
them; three-label accuracy on the call-centre test split and on the held-out call-centre file
(`training/data/callcentre_heldout.csv`, written before the default was trained, test only) with
its 95 % Wilson interval; the share labelled `neutral` on each; ECE (reviews: of `score`;
call-centre: of the arg-max probability, for models that expose probabilities); call-centre
utterances/s (batch 64, first ``--threads`` value). The splits come from
`inspection.sentiment.training.dataset`, the same function training uses, so no test text was
seen in training. The linear baseline is trained on the very same training rows as the default
(call-centre rows repeated as in training), its `C` chosen on review dev. ``--quantised`` (on by
default) adds the default model after `torch.ao.quantization.quantize_dynamic` (int8 Linear
layers). Needs the ``bench`` extra (scikit-learn, snownlp).
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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import torch
from safetensors import safe_open

from inspection.sentiment import LexiconSentiment
from inspection.sentiment.classifier import (
    BINARY_NEUTRAL_BAND,
    DEFAULT_MODEL_DIR,
    EMPTY_RESULT,
    TransformersSentiment,
    load_sentiment_model,
)
from inspection.sentiment.training.card import write_model_card
from inspection.sentiment.training.config import TrainConfig
from inspection.sentiment.training.dataset import (
    DEFAULT_DATA_DIR,
    REVIEW_FILES,
    Dataset,
    Example,
    load_dataset,
    load_heldout,
    training_examples,
)
from inspection.sentiment.training.evaluation import review_accuracy, split_figures, wilson_interval
from inspection.sentiment.training.loss import LABELS
from inspection.sentiment.training.teacher import char_tfidf
from inspection.types import SentimentAnalyzer, SentimentLabel, SentimentResult

logger = logging.getLogger("bench.sentiment")

SAMPLE_SEED = 5
LINEAR_CS = (2.0, 8.0)  # C=32 was never chosen on dev and costs the most CPU
CORPUS_NAMES = dict(zip(REVIEW_FILES, ("hotel", "waimai", "shopping"), strict=True))
DEFAULT_NAME = "default (embedded)"


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
            positive = float(SnowNLP(text).sentiments) if text.strip() else None
            results.append(EMPTY_RESULT if positive is None
                           else SentimentResult(label=banded(positive), score=positive))
        return results


@dataclass(frozen=True)
class LinearBaseline:
    """Character 1–3-gram TF-IDF + logistic regression over the three labels."""

    pipeline: Any

    @property
    def labels(self) -> tuple[SentimentLabel, ...]:
        return tuple(LABELS[int(target)] for target in self.pipeline.classes_)

    def probabilities(self, texts: Sequence[str]) -> list[list[float]]:
        return [list(row) for row in self.pipeline.predict_proba(list(texts))]

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        by_label = [dict(zip(self.labels, row, strict=True)) for row in self.probabilities(texts)]
        return [SentimentResult(label=max(row, key=lambda k: row[k]),
                                score=row["positive"] + 0.5 * row.get("neutral", 0.0)) for row in by_label]


def train_linear_baseline(dataset: Dataset, repeat: int) -> tuple[LinearBaseline, float]:
    """Fit TF-IDF + LR on the training split; pick C by review dev accuracy."""
    # scikit-learn is optional (the `bench` extra): imported where the baseline is fitted.
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    examples = training_examples(dataset, repeat)
    texts, targets = [e.text for e in examples], [LABELS.index(e.label) for e in examples]
    best: tuple[float, LinearBaseline | None, float] = (-1.0, None, 0.0)
    for c in LINEAR_CS:
        pipeline = make_pipeline(char_tfidf(), LogisticRegression(C=c, max_iter=2000))
        pipeline.fit(texts, targets)
        baseline = LinearBaseline(pipeline)
        dev = review_accuracy(baseline.predict([e.text for e in dataset.review_dev]), dataset.review_dev)
        logger.info("TF-IDF+LR C=%g dev accuracy %.4f", c, dev)
        if dev > best[0]:
            best = (dev, baseline, c)
    assert best[1] is not None
    return best[1], best[2]


def quantised(model: SentimentAnalyzer) -> SentimentAnalyzer:
    """The default model with int8 dynamic quantisation of its Linear layers (own forward)."""
    assert isinstance(model, TransformersSentiment)
    int8 = torch.ao.quantization.quantize_dynamic(model.model, {torch.nn.Linear}, dtype=torch.qint8)
    return replace(model, model=int8, forward=None)


def throughput(analyzer: SentimentAnalyzer, texts: Sequence[str], rounds: int = 3) -> float:
    """Utterances per CPU second of this process (`time.process_time`: on a shared machine wall
    time measures the neighbours) of `predict` over `texts`, best of `rounds`; with one thread
    that is utterances/s on one free core."""
    analyzer.predict(list(texts[:64]))  # warm-up
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        analyzer.predict(texts)
        best = min(best, time.process_time() - started)
    return len(texts) / max(best, 1e-9)


def model_size(model_dir: Path) -> dict[str, Any]:
    """Parameter count (from the safetensors headers) and bytes on disk of a model directory."""
    parameters = 0
    for weights in model_dir.glob("*.safetensors"):
        with safe_open(str(weights), framework="pt") as handle:
            for key in handle.keys():  # noqa: SIM118 - safe_open is not a mapping
                parameters += math.prod(handle.get_slice(key).get_shape())
    size = sum(path.stat().st_size for path in model_dir.iterdir() if path.is_file())
    return {"parameters": parameters, "size_on_disk_mb": round(size / 1e6, 2)}


def test_sets(dataset: Dataset, sample: int) -> dict[str, tuple[tuple[Example, ...], bool]]:
    """Name → (examples, binary): each review corpus's test split (a fixed random sample of
    `sample` texts when > 0), the call-centre test split and the held-out call-centre file."""
    reviews = list(dataset.review_test)
    if 0 < sample < len(reviews):
        reviews = random.Random(SAMPLE_SEED).sample(reviews, sample)
    sets = {f"reviews/{short}": (tuple(e for e in reviews if e.source == name), True)
            for name, short in CORPUS_NAMES.items()}
    sets["call-centre test"] = (dataset.callcentre_test, False)
    sets["call-centre held-out"] = (load_heldout(dataset), False)
    return {name: value for name, value in sets.items() if value[0]}


def analyzer_row(analyzer: SentimentAnalyzer, sets: dict[str, tuple[tuple[Example, ...], bool]],
                 speed_texts: Sequence[str]) -> dict[str, Any]:
    """Every figure of one analyzer: per set accuracy, ECE, neutral share; reviews pooled;
    the held-out interval; utterances/s."""
    started = time.perf_counter()
    row: dict[str, Any] = {name: split_figures(analyzer, examples, binary)
                           for name, (examples, binary) in sets.items()}
    review_sets = [(sets[name][0], row[name]) for name in row if name.startswith("reviews/")]
    total = sum(len(examples) for examples, _ in review_sets)
    row["reviews"] = {key: round(sum(len(ex) * (fig[key] or 0.0) for ex, fig in review_sets) / total, 4)
                      for key in ("accuracy", "ece", "neutral_share")}
    if "call-centre held-out" in row:
        size = len(sets["call-centre held-out"][0])
        hits = round(row["call-centre held-out"]["accuracy"] * size)
        row["call-centre held-out"]["interval"] = [round(x, 4) for x in wilson_interval(hits, size)]
    logger.info("scored in %.1f s", time.perf_counter() - started)
    row["utterances_per_s"] = round(throughput(analyzer, speed_texts, rounds=1), 1)
    return row


def m3e_contender(threads: int) -> tuple[str, SentimentAnalyzer] | None:
    """The opt-in m3e-small fine-tune when its directory has been built, else None."""
    try:
        from inspection.sentiment.m3e import M3E_LICENCE_SHORT, m3e_model_dir
    except ImportError:
        return None
    path = m3e_model_dir()
    if path is None:
        logger.info("m3e-small fine-tune not built (make m3e-small): row skipped")
        return None
    return f"m3e-small fine-tuned ({M3E_LICENCE_SHORT})", load_sentiment_model(path, threads=threads)


def contenders(args: argparse.Namespace, dataset: Dataset) -> list[tuple[str, SentimentAnalyzer]]:
    model = load_sentiment_model(args.model_dir, threads=args.threads[0], batch_size=args.batch_size)
    linear, c = train_linear_baseline(dataset, TrainConfig().callcentre_repeat)
    chosen: list[tuple[str, SentimentAnalyzer]] = [(DEFAULT_NAME, model)]
    if args.quantised:
        chosen.append(("default, int8 dynamic quantisation", quantised(model)))
    m3e = m3e_contender(args.threads[0])
    chosen += [m3e] if m3e else []
    chosen += [(f"TF-IDF char1-3 + LR (C={c:g})", linear), ("SnowNLP", SnowNLPSentiment()),
               ("lexicon fallback", LexiconSentiment())]
    return chosen


def run(args: argparse.Namespace) -> dict[str, Any]:
    dataset = load_dataset(args.data_dir)
    sets = test_sets(dataset, args.snownlp_sample)
    torch.set_num_threads(args.threads[0])
    speed_texts = [e.text for e in dataset.callcentre_test] * 5
    rows = {name: analyzer_row(analyzer, sets, speed_texts)
            for name, analyzer in contenders(args, dataset)}
    truth = {name: round(sum(e.label == "neutral" for e in ex) / len(ex), 4)
             for name, (ex, _) in sets.items()}
    return {"sizes": {**dataset.sizes(), **{name: len(ex) for name, (ex, _) in sets.items()}},
            "sample_size": args.snownlp_sample, "rows": rows, "neutral_truth": truth,
            "size": model_size(Path(args.model_dir)), "threads": args.threads[0],
            "batch_size": args.batch_size}


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def render(report: dict[str, Any]) -> str:
    """The report as three plain-text tables: accuracy, neutral share, ECE and speed."""
    columns = ["reviews", *[n for n in report["neutral_truth"] if n.startswith("reviews/")],
               "call-centre test", "call-centre held-out"]
    columns = [c for c in columns if c == "reviews" or c in report["neutral_truth"]]
    sizes = report["sizes"]
    head = f"{'analyzer':<44}" + "".join(f"{c.removeprefix('reviews/'):>22}" for c in columns)
    counts = f"{'(texts)':<44}" + "".join(
        f"{sum(sizes[n] for n in columns if n.startswith('reviews/')) if c == 'reviews' else sizes[c]:>22}"
        for c in columns)
    lines = ["accuracy (reviews: score ≥ 0.5; call-centre: 3 labels)", head, counts]
    for name, row in report["rows"].items():
        lines.append(f"{name:<44}" + "".join(f"{_cell(row[c]['accuracy']):>22}" for c in columns))
        interval = row.get("call-centre held-out", {}).get("interval")
        if interval:
            lines[-1] += f"  held-out 95% CI {interval[0]:.1%}–{interval[1]:.1%}"
    lines += ["", "share labelled neutral", head,
              f"{'(true share)':<44}" + "".join(
                  f"{_cell(report['neutral_truth'].get(c, 0.0)):>22}" for c in columns)]
    lines += [f"{name:<44}" + "".join(f"{_cell(row[c]['neutral_share']):>22}" for c in columns)
              for name, row in report["rows"].items()]
    lines += ["", f"{'ECE, speed':<44}{'reviews ECE':>17}{'call-centre ECE':>17}{'held-out ECE':>17}"
              f"{'utterances/CPU-s':>17}"]
    lines += [f"{name:<44}{_cell(row['reviews']['ece']):>17}"
              f"{_cell(row.get('call-centre test', {}).get('ece')):>17}"
              f"{_cell(row.get('call-centre held-out', {}).get('ece')):>17}{row['utterances_per_s']:>17,.0f}"
              for name, row in report["rows"].items()]
    size = report["size"]
    lines.append(f"default model: {size['parameters']:,} parameters, {size['size_on_disk_mb']} MB; "
                 f"speed: call-centre turns per CPU second, {report['threads']} thread(s), "
                 f"batch {report['batch_size']}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="情感模型基准测试 (sentiment benchmark)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--threads", type=int, nargs="+", default=[1], help="推理线程数（取第一个）")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--snownlp-sample", type=int, default=0,
                        help="只评测评论测试集的固定随机样本（0 = 全部；SnowNLP 很慢）")
    parser.add_argument("--no-quantised", dest="quantised", action="store_false",
                        help="不测 int8 动态量化的默认模型")
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
