"""The model card (README.md) of a trained model directory, written from its metrics.json.

``python -m inspection.sentiment.training.card [MODEL_DIR]`` rewrites the card of an existing
directory (default: the embedded model's).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from inspection.sentiment.classifier import DEFAULT_MODEL_DIR
from inspection.sentiment.training.vocab import UNIGRAM_MAX_PIECE

CARD = """\
---
language: zh
license: mit
library_name: transformers
pipeline_tag: text-classification
tags: [sentiment, chinese, call-centre, zhijian]
---

# zhijian embedded sentiment model (zh, {tokenizer_title} BERT)

A small BERT-style sequence classifier trained from scratch by
`python -m inspection.sentiment.training.train` for zhijian (质检). Labels: `negative`, `neutral`,
`positive`; zhijian reports `score` = P(positive) + ½·P(neutral) (neutral ≈ 0.5).

| | |
|---|---|
| architecture | `BertForSequenceClassification`, FFN size {intermediate_size} |
| layers × hidden, heads | {layers} × {hidden_size}, {heads} heads |
| vocabulary | {vocab} tokens: {vocabulary} |
| max length | {max_length} tokens (longer texts are truncated) |
| masked-LM pre-training | {mlm} epoch(s) on the training texts |
| supervised training | {epochs} epoch(s), batch {batch_size}, AdamW lr {learning_rate}, seed {seed} |
| distillation | teacher `{teacher}` (n-gram LR, {teacher_folds}-fold out-of-fold), weight {teacher_weight} |
| parameters | {parameters:,} |
| size on disk | {size_mb:.1f} MB (weights stored as float16 safetensors; computed in float32) |
| training time | {train_minutes} min on {threads} CPU thread(s) |
| licence | MIT (code, weights and the call-centre utterances); review corpora: see below |

## Data

- Review corpora from the ChineseNlpCorpus project (`../shared/data/sentiment/`):
  ChnSentiCorp_htl_all (hotels), waimai_10k (food delivery), online_shopping_10_cats
  (e-commerce). Binary labels → negative / positive. Deduplicated; texts whose copies disagree
  on the label are dropped. Their terms of use are those of their original publishers
  (research use); retrain without them if that does not fit your deployment.
- `inspection/sentiment/training/data/callcentre_utterances.csv`: spoken call-centre turns
  (customer and agent: angry, anxious, neutral requests, empathy, satisfied thanks) written for
  zhijian, labelled negative / neutral / positive; repeated ×{callcentre_repeat} in training.

## Split

Each text goes to a split by its MD5 bucket (0–99): reviews 0–9 test, 10–19 dev, rest train;
call-centre utterances 0–39 test, rest train. Sizes: {sizes}.
Test-split fingerprints: {digests}.

## Accuracy

| split | accuracy |
|---|---|
| review test (binary; a `neutral` answer falls back on score ≥ 0.5) | {review_test_accuracy:.2%} |
| review dev (best epoch) | {review_dev_accuracy:.2%} |
| call-centre test (3 labels) | {callcentre_test_accuracy:.2%} |

Per epoch: {history}. Baselines and throughput: `python bench/sentiment.py`.

## Limits

Trained on written reviews and a few hundred utterances: sarcasm, dialect, long mixed turns
and ASR errors are weak spots. For higher accuracy point zhijian's sentiment model setting at
a stronger Hugging Face classification directory (see `docs/sentiment.md`).
"""


#: Settings of runs recorded before they existed.
_CONFIG_DEFAULTS = {"teacher": "none", "teacher_folds": 0, "teacher_weight": 0.0, "tokenizer": "char"}

_VOCABULARIES = {
    "char": ("character-level", "the most frequent characters of the training texts + Latin letters/digits"),
    "unigram": (
        "subword",
        "a unigram-LM subword vocabulary learnt from the training texts (pieces of "
        f"1–{UNIGRAM_MAX_PIECE} characters: 服务态度, 很干净 …; NFKC, lower-cased)",
    ),
}


def render_model_card(metrics: dict[str, Any]) -> str:
    config = {**_CONFIG_DEFAULTS, **metrics["config"]}
    title, vocabulary = _VOCABULARIES[config["tokenizer"]]
    return CARD.format(
        **config,
        tokenizer_title=title,
        vocabulary=vocabulary,
        mlm=config.get("mlm_epochs", 0),
        vocab=config["vocab_size"],
        parameters=metrics["parameters"],
        size_mb=metrics["size_on_disk_bytes"] / 1e6,
        train_minutes=metrics["train_minutes"],
        sizes=json.dumps(metrics["split"]["sizes"]),
        digests=json.dumps(metrics["split"]["test_digests"]),
        review_test_accuracy=metrics["review_test_accuracy"],
        review_dev_accuracy=metrics["review_dev_accuracy"] or 0.0,
        callcentre_test_accuracy=metrics["callcentre_test_accuracy"],
        history=json.dumps(metrics["history"]),
    )


def render_benchmark(benchmark: dict[str, Any]) -> str:
    """The card section for a `bench/sentiment.py --record` report."""
    sample, sizes = benchmark["sample_size"], benchmark["sizes"]
    keys = ["review_test_accuracy", "callcentre_test_accuracy"]
    titles = [f"review test ({sizes['review_test']})", f"call-centre test ({sizes['callcentre_test']})"]
    if sample < sizes["review_test"]:
        keys.insert(1, "review_sample_accuracy")
        titles.insert(1, f"review sample ({sample})")
    lines = [
        "\n## Benchmark (`bench/sentiment.py`)\n",
        "| analyzer | " + " | ".join(titles) + " |",
        "|---" * (len(titles) + 1) + "|",
    ]
    for name, row in benchmark["accuracy"].items():
        lines.append(f"| {name} | " + " | ".join(_percent(row[key]) for key in keys) + " |")
    lines.append(_verdict(benchmark["accuracy"]))
    for speed in benchmark["throughput"]:
        lines.append(
            f"\nThroughput ({speed['threads']} thread(s), batch {speed['batch_size']}): "
            f"{speed['callcentre_utterances_per_s']:.0f} call-centre utterances/s, "
            f"{speed['review_texts_per_s']:.0f} review texts/s."
        )
    return "\n".join(lines)


def _verdict(accuracy: dict[str, dict[str, float | None]]) -> str:
    """One honest sentence: the embedded model against the linear baseline."""
    ours = accuracy["embedded model"]
    linear = next(row for name, row in accuracy.items() if name.startswith("TF-IDF"))
    gaps = [
        (ours[key] or 0.0) - (linear[key] or 0.0)
        for key in ("review_test_accuracy", "callcentre_test_accuracy")
    ]
    return (
        f"\nAgainst the TF-IDF + LR baseline trained on the same split the embedded model is "
        f"{gaps[0] * 100:+.1f} points on reviews and {gaps[1] * 100:+.1f} points on call-centre "
        "utterances."
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def write_model_card(model_dir: Path, metrics: dict[str, Any]) -> None:
    card = render_model_card(metrics)
    if "benchmark" in metrics:
        card += render_benchmark(metrics["benchmark"])
    (model_dir / "README.md").write_text(card, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    model_dir = Path(args[0]) if args else DEFAULT_MODEL_DIR
    metrics = json.loads((model_dir / "metrics.json").read_text(encoding="utf-8"))
    write_model_card(model_dir, metrics)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
