"""Train the embedded sentiment model from scratch: ``python -m inspection.sentiment.training.train``.

A small BERT (``BertForSequenceClassification``) over a subword vocabulary learnt from the
training texts (``--tokenizer char`` for one token per character), on the review corpora plus
the call-centre utterances shipped in this package. Seeds are fixed, the split is a function of
each text (see `inspection.sentiment.training.dataset`), the epoch with the best dev accuracy is
kept (`inspection.sentiment.training.fit`), and the saved directory is reloaded with
`load_sentiment_model` and scored on the test splits; ``metrics.json`` and the model card
``README.md`` are written next to the weights. By default it distils from an n-gram teacher
(``--teacher char``, `inspection.sentiment.training.teacher`, losses in
`inspection.sentiment.training.loss`; ``--teacher none`` trains on the labels alone).
The flags are the fields of `TrainConfig`; their defaults reproduce the shipped model.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import torch
from transformers import BertConfig, BertForSequenceClassification

from inspection.sentiment.classifier import DEFAULT_MODEL_DIR, load_sentiment_model
from inspection.sentiment.training.batching import collate, make_batches
from inspection.sentiment.training.calibration import calibrate
from inspection.sentiment.training.card import write_model_card
from inspection.sentiment.training.config import TrainConfig
from inspection.sentiment.training.dataset import (
    DEFAULT_DATA_DIR,
    Dataset,
    load_dataset,
    training_examples,
)
from inspection.sentiment.training.evaluation import evaluate, split_figures
from inspection.sentiment.training.fit import train
from inspection.sentiment.training.loss import LABELS
from inspection.sentiment.training.pretrain import pretrain_mlm
from inspection.sentiment.training.saving import save_model, size_on_disk, split_record, versions
from inspection.sentiment.training.vocab import TOKENIZERS

logger = logging.getLogger("inspection.sentiment.training")

__all__ = ["TrainConfig", "main", "run"]


def build_model(config: TrainConfig, vocab_size: int, pad_id: int) -> Any:
    """A freshly initialised classifier of the configured size over the three labels."""
    bert_config = BertConfig(
        vocab_size=vocab_size,
        hidden_size=config.hidden_size,
        num_hidden_layers=config.layers,
        num_attention_heads=config.heads,
        intermediate_size=config.intermediate_size,
        max_position_embeddings=config.max_length,
        type_vocab_size=1,
        pad_token_id=pad_id,
        id2label={index: str(label) for index, label in enumerate(LABELS)},
        label2id={str(label): index for index, label in enumerate(LABELS)},
    )
    return BertForSequenceClassification(bert_config)


def run(
    config: TrainConfig, data_dir: Path, output_dir: Path, teacher_cache: Path | None = None
) -> dict[str, Any]:
    """Train, save, reload the saved directory, score it, write metrics.json and the card."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    dataset = load_dataset(data_dir)
    logger.info("split sizes %s", dataset.sizes())
    texts = [e.text for e in training_examples(dataset, 1)]
    tokenizer = make_tokenizer(config, texts)
    model = build_model(config, len(tokenizer.get_vocab()), tokenizer.pad_token_id)
    started = time.monotonic()
    mlm_losses = pretrain(config, model, tokenizer, texts) if config.mlm_epochs else []
    model, history = train(config, dataset, tokenizer, model, teacher_cache)
    train_minutes = round((time.monotonic() - started) / 60, 1)
    save_model(model, tokenizer, output_dir)  # the uncalibrated weights first: a later failure keeps them
    calibration = (
        asdict(calibrate(model, tokenizer, dataset.review_dev, dataset.callcentre_dev, config.max_length))
        if config.calibrate else None
    )
    save_model(model, tokenizer, output_dir)
    shipped = load_sentiment_model(output_dir, threads=config.threads)
    metrics: dict[str, Any] = {
        **evaluate(shipped, dataset.review_test, dataset.callcentre_test),
        "review_dev_accuracy": max((h["dev_accuracy"] for h in history), default=None),
        **dev_figures(shipped, dataset),
        "calibration": calibration,
        "history": history,
        "mlm_losses": mlm_losses,
        "train_minutes": train_minutes,
        "parameters": sum(p.numel() for p in model.parameters()),
        "size_on_disk_bytes": size_on_disk(output_dir),
        "split": split_record(dataset),
        "config": asdict(config),
        "versions": versions(),
    }
    (output_dir / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n")
    write_model_card(output_dir, metrics)
    return metrics


def dev_figures(analyzer: Any, dataset: Dataset) -> dict[str, float | None]:
    """The saved model's accuracy, ECE and neutral share on the dev splits (after calibration)."""
    figures: dict[str, float | None] = {}
    for name in ("review_dev", "callcentre_dev"):
        examples = getattr(dataset, name)
        for key, value in split_figures(analyzer, examples, binary=name.startswith("review")).items():
            figures[f"{name}_{key}"] = value
    return figures


def make_tokenizer(config: TrainConfig, texts: list[str]) -> Any:
    """The run's tokenizer, its vocabulary learnt from the training texts only."""
    if config.tokenizer not in TOKENIZERS:
        raise ValueError(f"--tokenizer must be one of {tuple(TOKENIZERS)}")
    return TOKENIZERS[config.tokenizer](texts, config.vocab_size, config.max_length)


def pretrain(config: TrainConfig, model: Any, tokenizer: Any, texts: list[str]) -> list[float]:
    """Masked-language-model pre-training on the training texts (labels unused)."""
    rows = tokenizer(texts, truncation=True, max_length=config.max_length)["input_ids"]
    return pretrain_mlm(
        model,
        rows,
        lambda lengths, rng: make_batches(lengths, config.batch_size, rng),
        lambda batch: collate(batch, tokenizer.pad_token_id),
        mask_id=tokenizer.mask_token_id,
        epochs=config.mlm_epochs,
        learning_rate=config.learning_rate,
        seed=config.seed,
    )


def parse_args(argv: Sequence[str] | None) -> tuple[TrainConfig, Path, Path, Path | None]:
    parser = argparse.ArgumentParser(description="训练内置情感模型 (train the embedded sentiment model)")
    parser.add_argument(
        "--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="评论语料目录 (review corpora)"
    )
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_MODEL_DIR, help="模型输出目录")
    parser.add_argument(
        "--teacher-cache", type=Path, default=None, help="教师概率缓存 .npz (teacher probabilities cache)"
    )
    for name, value in asdict(TrainConfig()).items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    args = vars(parser.parse_args(argv))
    data_dir, output_dir, cache = args.pop("data_dir"), args.pop("output_dir"), args.pop("teacher_cache")
    return TrainConfig(**args), data_dir, output_dir, cache


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config, data_dir, output_dir, teacher_cache = parse_args(argv)
    metrics = run(config, data_dir, output_dir, teacher_cache)
    logger.info(
        "review test %.4f, call-centre test %.4f",
        metrics["review_test_accuracy"],
        metrics["callcentre_test_accuracy"],
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
