"""Stack an n-gram model onto a trained model directory:
``python -m inspection.sentiment.training.stack [--model-dir DIR]``.

1. Fit character 1–3-gram TF-IDF + logistic regression on the training split only (the same
   rows as the BERT, call-centre rows repeated alike), each feature scaled by its naive-Bayes
   log-count ratio (positive vs negative rows: NB-LR), ``C`` = ``--c``.
2. Fold the scaling into the weights and export grams, IDF and weights (`inspection.sentiment.ngram`),
   checking the numpy features against scikit-learn's on dev texts.
3. Fit the stacking weights (a · BERT logits + b · n-gram logits + c) on review dev + call-centre
   dev (the mean of their NLLs: reviews three-way, so an opinionated review is not neutral), then
   write ``ngram.json`` / ``ngram.safetensors`` into the directory and the figures into its
   ``metrics.json`` (``"stack"``). No test row is read. ``--ngram-cache DIR`` keeps step 1–2's
   output for a rerun on the same training rows.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.numpy import load_file, save_file

from inspection.sentiment.classifier import DEFAULT_MODEL_DIR
from inspection.sentiment.ngram import NGRAM_JSON, NGRAM_WEIGHTS, load_ngram_stack
from inspection.sentiment.training.calibration import dev_labels, dev_logits
from inspection.sentiment.training.card import write_model_card
from inspection.sentiment.training.config import TrainConfig
from inspection.sentiment.training.dataset import (
    DEFAULT_DATA_DIR,
    Dataset,
    Example,
    load_dataset,
    training_examples,
)
from inspection.sentiment.training.loss import LABELS
from inspection.sentiment.training.teacher import char_tfidf

logger = logging.getLogger("inspection.sentiment.training")


def fit_ngram(dataset: Dataset, repeat: int, c: float) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """(meta, tensors, check) of an NB-scaled TF-IDF LR on the training rows; `check(texts)`
    gives scikit-learn's logits for the export test."""
    from sklearn.linear_model import LogisticRegression

    examples = training_examples(dataset, repeat)
    vectorizer = char_tfidf()
    features = vectorizer.fit_transform([e.text for e in examples])
    targets = np.array([LABELS.index(e.label) for e in examples])
    present = (features > 0).astype(np.float64)
    positive = np.asarray(present[targets == LABELS.index("positive")].sum(0)).ravel() + 1
    negative = np.asarray(present[targets == LABELS.index("negative")].sum(0)).ravel() + 1
    ratio = np.log((positive / positive.sum()) / (negative / negative.sum()))
    scaled = features.multiply(ratio[None, :]).tocsr()
    model = LogisticRegression(C=c, max_iter=2000).fit(scaled, targets)
    grams = [gram for gram, _ in sorted(vectorizer.vocabulary_.items(), key=lambda item: item[1])]
    weights = (ratio[:, None] * model.coef_.T).astype(np.float16)
    tensors = {"idf": vectorizer.idf_.astype(np.float16), "weights": weights,
               "bias": model.intercept_.astype(np.float32)}
    meta = {"grams": grams, "c": c, "digest": rows_digest(examples, c),
            "labels": list(LABELS), "kind": "char 1-3-gram TF-IDF, NB-scaled, logistic regression"}

    def check(texts: Sequence[str]) -> Any:
        return model.decision_function(vectorizer.transform(texts).multiply(ratio[None, :]).tocsr())

    return meta, tensors, check


def rows_digest(examples: Sequence[Example], c: float) -> str:
    """A fingerprint of the training rows and C (the cache key)."""
    digest = hashlib.sha256(repr(c).encode())
    for example in examples:
        digest.update(f"{example.label}\t{example.source}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]


def write_ngram(directory: Path, meta: dict[str, Any], tensors: dict[str, Any]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / NGRAM_JSON).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    save_file(tensors, str(directory / NGRAM_WEIGHTS))
    (directory / NGRAM_WEIGHTS).chmod(0o644)


def fit_stack(groups: Sequence[tuple[Any, Any, Any]]) -> dict[str, Any]:
    """a, b, c minimising the mean over `groups` of NLL(a·bert + b·ngram + c, labels)."""
    params = torch.tensor([1.0, 0.0], requires_grad=True)
    offset = torch.zeros(len(LABELS), requires_grad=True)

    def nll() -> Any:
        losses = [torch.nn.functional.cross_entropy(params[0] * bert + params[1] * ngram + offset, labels)
                  for bert, ngram, labels in groups if len(labels)]
        return sum(losses) / len(losses)

    before = float(nll())
    optimiser = torch.optim.LBFGS([params, offset], lr=0.5, max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> Any:
        optimiser.zero_grad()
        loss = nll()
        loss.backward()
        return loss

    optimiser.step(closure)
    with torch.no_grad():
        centred = offset - offset.mean()
    return {"bert_weight": round(float(params[0]), 4), "ngram_weight": round(float(params[1]), 4),
            "offset": [round(float(x), 4) for x in centred], "dev_nll_bert_alone": round(before, 4),
            "dev_nll_stacked": round(float(nll()), 4)}


def dev_report(groups: Sequence[tuple[Any, Any, Any]], stack: dict[str, Any]) -> dict[str, Any]:
    """Review-dev and call-centre-dev accuracy and share labelled neutral, BERT alone and stacked
    (reviews: P(positive) + ½·P(neutral) ≥ 0.5; call-centre: arg-max)."""
    neutral, positive = LABELS.index("neutral"), LABELS.index("positive")
    report: dict[str, Any] = {}
    for name, (bert, ngram, labels) in zip(("review_dev", "callcentre_dev"), groups, strict=True):
        stacked = stack["bert_weight"] * bert + stack["ngram_weight"] * ngram + torch.tensor(stack["offset"])
        for kind, logits in (("bert", bert), ("stacked", stacked)):
            p = torch.softmax(logits, -1)
            if name == "review_dev":
                hits = ((p[:, positive] + 0.5 * p[:, neutral] >= 0.5) == (labels == positive)).float()
            else:
                hits = (p.argmax(-1) == labels).float()
            share = float((p.argmax(-1) == neutral).float().mean())
            report[f"{name}_{kind}"] = {"accuracy": round(float(hits.mean()), 4),
                                        "neutral_share": round(share, 4)}
    return report


def run(model_dir: Path, data_dir: Path, c: float, cache: Path | None) -> dict[str, Any]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    dataset = load_dataset(data_dir)
    repeat = TrainConfig().callcentre_repeat
    cached = load_cached(cache, dataset, repeat, c)
    if cached is None:
        meta, tensors, check = fit_ngram(dataset, repeat, c)
        write_ngram(model_dir, meta, tensors)
        probe = [e.text for e in dataset.review_dev[:300]]
        ours = load_ngram_stack_unstacked(model_dir).logits(probe)
        gap = float(np.abs(ours - check(probe)).max())
        logger.info("numpy n-gram logits vs scikit-learn: max difference %.4f", gap)
        if gap > 0.05:
            raise RuntimeError(f"n-gram export differs from scikit-learn by {gap:.3f}")
        if cache is not None:
            write_ngram(cache, meta, tensors)
    else:
        meta, tensors = cached
        write_ngram(model_dir, meta, tensors)
    tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(model_dir, local_files_only=True,
                                                               dtype=torch.float32).eval()
    ngram = load_ngram_stack_unstacked(model_dir)
    max_length = int(model.config.max_position_embeddings)
    groups = []
    for split in (dataset.review_dev, dataset.callcentre_dev):
        bert, labels = dev_logits(model, tokenizer, split, max_length), dev_labels(split)
        groups.append((bert, torch.from_numpy(ngram.logits([e.text for e in split])).float(), labels))
    stack = fit_stack(groups)
    stack["dev"] = dev_report(groups, stack)
    meta["stack"] = stack
    write_ngram(model_dir, meta, tensors)
    logger.info("stack %s", stack)
    return stack


def load_ngram_stack_unstacked(directory: Path) -> Any:
    """The exported n-gram model alone (stacking weights 0 · BERT + 1 · n-gram)."""
    meta_path = directory / NGRAM_JSON
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.setdefault("stack", {"bert_weight": 0.0, "ngram_weight": 1.0, "offset": [0.0] * len(LABELS)})
    meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    stack = load_ngram_stack(directory)
    assert stack is not None
    return stack


def load_cached(cache: Path | None, dataset: Dataset, repeat: int, c: float
                ) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The cached export when it was fitted on these training rows with this C."""
    if cache is None or not (cache / NGRAM_JSON).is_file():
        return None
    meta = json.loads((cache / NGRAM_JSON).read_text(encoding="utf-8"))
    if meta.get("digest") != rows_digest(training_examples(dataset, repeat), c):
        return None
    meta.pop("stack", None)
    logger.info("n-gram model from %s", cache)
    return meta, load_file(str(cache / NGRAM_WEIGHTS))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="给情感模型叠加 n-gram 模型 (stack an n-gram model)")
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--c", type=float, default=2.0, help="logistic regression C")
    parser.add_argument("--ngram-cache", type=Path, default=None, help="n-gram 模型缓存目录")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    torch.set_num_threads(1)
    stack = run(args.model_dir, args.data_dir, args.c, args.ngram_cache)
    metrics_path = args.model_dir / "metrics.json"
    if metrics_path.is_file():
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        metrics["stack"] = {**stack, "c": args.c}
        metrics_path.write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        write_model_card(args.model_dir, metrics)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
