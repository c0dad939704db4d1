"""The test figures and model card of a fine-tuned directory (`inspection.sentiment.training.finetune`).

The saved directory is reloaded with `load_sentiment_model`, exactly as zhijian serves it, and
scored with `inspection.sentiment.training.evaluation.split_figures`: each review corpus's test
split (binary, ``score ≥ 0.5``), the call-centre test split and the held-out call-centre file
(three labels), plus utterances/s on the call-centre test texts.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from inspection.sentiment.classifier import load_sentiment_model
from inspection.sentiment.training.dataset import Dataset, Example, load_heldout
from inspection.sentiment.training.evaluation import split_figures


def score_saved_model(model_dir: Path, dataset: Dataset, threads: int) -> dict[str, Any]:
    """``{"test": {split: figures}, "utterances_per_s": …}`` of the saved model."""
    analyzer = load_sentiment_model(model_dir, threads=threads)
    splits: dict[str, tuple[Example, ...]] = {}
    for example in dataset.review_test:
        splits.setdefault(f"review_test:{example.source}", ())
    for name in list(splits):
        source = name.split(":", 1)[1]
        splits[name] = tuple(e for e in dataset.review_test if e.source == source)
    splits["review_test"] = dataset.review_test
    splits["callcentre_test"] = dataset.callcentre_test
    heldout = load_heldout(dataset)
    if heldout:
        splits["callcentre_heldout"] = heldout
    test = {name: {"rows": len(rows), **split_figures(analyzer, rows, binary=name.startswith("review"))}
            for name, rows in splits.items() if name != "review_test"}
    test["review_test"] = _pooled(test, len(dataset.review_test))
    texts = [e.text for e in dataset.callcentre_test]
    started = time.perf_counter()
    analyzer.predict(texts)
    speed = len(texts) / max(1e-9, time.perf_counter() - started)
    return {"test": test, "utterances_per_s": round(speed, 1), "speed_threads": threads}


def _pooled(test: dict[str, dict[str, Any]], rows: int) -> dict[str, Any]:
    """Review test as a whole: the per-corpus figures weighted by their rows."""
    parts = [figures for name, figures in test.items() if name.startswith("review_test:")]
    pooled: dict[str, Any] = {"rows": rows}
    for key in ("accuracy", "ece", "neutral_share"):
        values = [(f[key], f["rows"]) for f in parts if f.get(key) is not None]
        pooled[key] = round(sum(v * n for v, n in values) / max(1, sum(n for _, n in values)), 4)
    return pooled


CARD = """\
---
language: zh
license: other
library_name: transformers
pipeline_tag: text-classification
tags: [sentiment, chinese, call-centre, zhijian]
---

# zhijian sentiment model fine-tuned from `{base_name}`

**Licence: {licence}.** The weights derive from the base encoder `{base}` and carry its licence;
they are not part of zhijian's MIT-licensed distribution and are never shipped in its wheel.

Fine-tuned by `python -m inspection.sentiment.training.finetune --base {base}` (zhijian).
Labels: `negative`, `neutral`, `positive`; zhijian reports `score` = P(positive) + ½·P(neutral).
Review rows train as *not neutral* (three-way cross-entropy); the best dev checkpoint is kept
and calibrated by temperature scaling (T = {temperature}) on review dev + call-centre dev.

| | |
|---|---|
| training rows | {train_rows}: {review_rows} reviews (equal per corpus), call-centre ×{callcentre_repeat} |
| schedule | {epochs} epoch(s), batch {batch_size}, AdamW lr {learning_rate}, seed {seed} |
| inputs | max length {max_length} tokens; word embeddings frozen: {freeze_embeddings} |
| training time | {train_minutes} min wall, {train_cpu_minutes} CPU min, {threads} thread(s) |
| parameters / size | {parameters:,} / {size_mb:.1f} MB (float16 safetensors, computed in float32) |
| speed | {utterances_per_s} call-centre utterances/s on {speed_threads} thread(s) |

## Test figures (never used for selection)

| split | rows | accuracy | ECE | share `neutral` |
|---|---|---|---|---|
{rows}

Reviews: binary, correct when `score ≥ 0.5` matches the label. Call-centre: three labels.
Dev checkpoints: {history}.
"""


def write_card(model_dir: Path, metrics: dict[str, Any]) -> None:
    config = metrics["config"]
    rows = "\n".join(
        f"| {name} | {f['rows']} | {f['accuracy']:.2%} | {_number(f.get('ece'))} | {f['neutral_share']:.1%} |"
        for name, f in metrics["test"].items())
    card = CARD.format(**config, base=metrics["base"], base_name=Path(metrics["base"]).name,
                       licence=metrics["licence"], temperature=metrics["temperature"],
                       train_rows=metrics["train_rows"], train_minutes=metrics["train_minutes"],
                       train_cpu_minutes=metrics["train_cpu_minutes"],
                       parameters=metrics["parameters"], size_mb=metrics["size_on_disk_bytes"] / 1e6,
                       utterances_per_s=metrics["utterances_per_s"],
                       speed_threads=metrics["speed_threads"], rows=rows,
                       history=json.dumps(metrics["history"]))
    (model_dir / "README.md").write_text(card, encoding="utf-8")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
