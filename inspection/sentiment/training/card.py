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
call-centre utterances 0–39 test, 40–54 dev, rest train. Sizes: {sizes}.
Test-split fingerprints: {digests}. The epoch kept is the one with the best mean of review-dev
and call-centre-dev accuracy; calibration is fitted on the same dev splits; no test row is
read before the figures below. `callcentre_heldout.csv` (1,000+ turns written before this
model was trained) is test only: `bench/sentiment.py` reports it.

## Calibration

Review rows also learn "not neutral" (−log(1 − P(neutral)), weight {review_not_neutral}): an
opinionated review is negative or positive. After training, temperature and one bias per class
are fitted on the dev splits and folded into the classifier layer: {calibration}.
On dev after calibration — reviews: accuracy {review_dev_acc}, ECE {review_dev_ece}, labelled
neutral {review_dev_neutral}; call-centre: accuracy {cc_dev_acc}, ECE {cc_dev_ece}, labelled
neutral {cc_dev_neutral}. The label is the arg-max class and `score` = P(positive) +
½·P(neutral): a `positive` label always has score ≥ 0.5 and a `negative` one score ≤ 0.5.

## Accuracy

Of the BERT as `train` saved it (before an n-gram model is stacked on it; the shipped model's
own figures are in the benchmark section below).

| split | accuracy |
|---|---|
| review test (binary: score ≥ 0.5 read as positive) | {review_test_accuracy:.2%} |
| review dev (best epoch) | {review_dev_accuracy:.2%} |
| call-centre test (3 labels) | {callcentre_test_accuracy:.2%} |

Per epoch: {history}. Baselines and throughput: `python bench/sentiment.py`.

## Limits

Trained on written reviews and a few hundred utterances: sarcasm, dialect, long mixed turns
and ASR errors are weak spots. For higher accuracy point zhijian's sentiment model setting at
a stronger Hugging Face classification directory (see `docs/sentiment.md`).
"""


#: Settings of runs recorded before they existed.
_CONFIG_DEFAULTS = {"teacher": "none", "teacher_folds": 0, "teacher_weight": 0.0, "tokenizer": "char",
                    "review_not_neutral": 0.0}

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
        calibration=json.dumps(metrics.get("calibration")),
        **_dev_figures(metrics),
    )


def _dev_figures(metrics: dict[str, Any]) -> dict[str, str]:
    keys = {"review_dev_acc": "review_dev_accuracy", "review_dev_ece": "review_dev_ece",
            "review_dev_neutral": "review_dev_neutral_share", "cc_dev_acc": "callcentre_dev_accuracy",
            "cc_dev_ece": "callcentre_dev_ece", "cc_dev_neutral": "callcentre_dev_neutral_share"}
    return {name: _percent(metrics.get(key)) for name, key in keys.items()}


def render_stack(stack: dict[str, Any]) -> str:
    """The card section for the stacked n-gram model (`inspection.sentiment.training.stack`)."""
    return (
        "\n## Stacked n-gram model\n\n"
        "`ngram.json` + `ngram.safetensors`: character 1–3-gram TF-IDF, each feature scaled by its "
        f"naive-Bayes log-count ratio, logistic regression (C={stack.get('c')}), fitted on the training "
        "split only (`python -m inspection.sentiment.training.stack`). zhijian's logits are "
        f"{stack['bert_weight']} × BERT + {stack['ngram_weight']} × n-gram + {stack['offset']}, the "
        "weights fitted on review dev + call-centre dev (NLL "
        f"{stack['dev_nll_bert_alone']} with the BERT alone → {stack['dev_nll_stacked']} stacked). "
        "Licence: MIT, like the BERT.\n"
    )


def render_benchmark(benchmark: dict[str, Any]) -> str:
    """The card section for a `bench/sentiment.py --record` report."""
    columns = ["reviews", "call-centre test", "call-centre held-out"]
    sizes = benchmark["sizes"]
    titles = ["reviews, 3 corpora (score ≥ 0.5)", f"call-centre test ({sizes['call-centre test']})"]
    if "call-centre held-out" in sizes:
        titles.append(f"call-centre held-out ({sizes['call-centre held-out']}, 95% CI)")
    lines = [
        "\n## Benchmark (`bench/sentiment.py`)\n",
        "| analyzer | " + " | ".join(titles) + " | neutral on reviews | review ECE | utterances/CPU-s |",
        "|---" * (len(titles) + 4) + "|",
    ]
    for name, row in benchmark["rows"].items():
        cells = [_percent(row[c]["accuracy"]) for c in columns[: len(titles)]]
        interval = row.get("call-centre held-out", {}).get("interval")
        if interval:
            cells[-1] += f" ({interval[0]:.1%}–{interval[1]:.1%})"
        cells += [_percent(row["reviews"]["neutral_share"]), _percent(row["reviews"]["ece"]),
                  f"{row['utterances_per_s']:,.0f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append(_verdict(benchmark["rows"]))
    return "\n".join(lines)


def _verdict(rows: dict[str, dict[str, Any]]) -> str:
    """One honest sentence: the default model against the linear baseline."""
    ours = next(row for name, row in rows.items() if name.startswith("default"))
    linear = next(row for name, row in rows.items() if name.startswith("TF-IDF"))
    gaps = [ours[key]["accuracy"] - linear[key]["accuracy"] for key in ("reviews", "call-centre test")]
    return (
        f"\nAgainst the TF-IDF + LR baseline trained on the same split the default model is "
        f"{gaps[0] * 100:+.2f} points on reviews and {gaps[1] * 100:+.2f} points on call-centre "
        "test turns."
    )


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.2%}"


def write_model_card(model_dir: Path, metrics: dict[str, Any]) -> None:
    card = render_model_card(metrics)
    if metrics.get("stack"):
        card += render_stack(metrics["stack"])
    if "rows" in metrics.get("benchmark", {}):  # a report of today's bench/sentiment.py
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
