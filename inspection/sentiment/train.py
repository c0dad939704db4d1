"""Train the embedded sentiment model from scratch: ``python -m inspection.sentiment.train``.

A small BERT (``BertForSequenceClassification``) over a subword vocabulary learnt from the
training texts (``--tokenizer char`` for one token per character), on the review corpora plus
the call-centre utterances shipped in this package. Seeds are fixed, the split is a function of
each text (see `inspection.sentiment.data`), the epoch with the best dev accuracy is kept, and
the saved directory is reloaded with `load_sentiment_model` and scored on the test splits;
``metrics.json`` and the model card ``README.md`` are written next to the weights.
By default it distils from an n-gram teacher (``--teacher char``,
`inspection.sentiment.teacher`, losses in `inspection.sentiment.loss`; ``--teacher none`` trains
on the labels alone).
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from inspection.sentiment.batching import collate, make_batches
from inspection.sentiment.card import write_model_card
from inspection.sentiment.data import (
    CALLCENTRE_SOURCE,
    DEFAULT_DATA_DIR,
    Dataset,
    Example,
    load_dataset,
)
from inspection.sentiment.evaluation import evaluate, review_accuracy
from inspection.sentiment.loss import LABELS, classification_loss, training_loss
from inspection.sentiment.model import DEFAULT_MODEL_DIR, TransformersSentiment, load_sentiment_model
from inspection.sentiment.pretrain import pretrain_mlm
from inspection.sentiment.saving import save_model, size_on_disk, split_record, versions
from inspection.sentiment.teacher import TEACHERS, TeacherConfig, teacher_probabilities
from inspection.sentiment.vocab import TOKENIZERS
from inspection.types import SentimentLabel

logger = logging.getLogger("inspection.sentiment.train")

__all__ = ["LABELS", "TrainConfig", "classification_loss", "main", "run", "training_examples"]

TEACHER_ROWS = ("reviews", "all")  # which training rows learn from the teacher's probabilities


@dataclass(frozen=True)
class TrainConfig:
    """Every knob of a training run; recorded in metrics.json."""

    seed: int = 20261123
    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 7e-4
    warmup_fraction: float = 0.06
    weight_decay: float = 0.01
    hidden_size: int = 256
    layers: int = 2
    heads: int = 4
    intermediate_size: int = 512
    max_length: int = 192
    tokenizer: str = "unigram"
    vocab_size: int = 12000
    callcentre_repeat: int = 30
    mlm_epochs: int = 0
    teacher: str = "char"
    teacher_weight: float = 0.8
    teacher_folds: int = 5
    teacher_rows: str = "reviews"
    threads: int = 1
    max_minutes: float = 120.0


def training_examples(dataset: Dataset, repeat: int) -> list[Example]:
    """Reviews plus the call-centre training utterances repeated `repeat` times (they are few)."""
    return [*dataset.review_train, *(list(dataset.callcentre_train) * repeat)]


def build_model(config: TrainConfig, vocab_size: int, pad_id: int) -> Any:
    from transformers import BertConfig, BertForSequenceClassification

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


@dataclass(frozen=True)
class _Targets:
    """Per training row: the label index, whether the row is binary (a review), and the
    teacher's probabilities (None without a teacher)."""

    labels: list[int]
    binary: list[bool]
    soft: list[list[float]] | None = None
    soft_weight: float = 0.0


@dataclass
class _Run:
    """The mutable state of one training run (model, optimiser, schedule, clock)."""

    model: Any
    optimizer: Any
    schedule: Any
    pad_id: int
    started: float
    max_minutes: float

    def minutes(self) -> float:
        return (time.monotonic() - self.started) / 60

    def out_of_time(self) -> bool:
        return self.minutes() > self.max_minutes


def _start_run(config: TrainConfig, model: Any, pad_id: int, steps: int) -> _Run:
    """AdamW with linear warm-up then linear decay to zero over `steps`."""
    import torch

    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    warmup = max(1, int(steps * config.warmup_fraction))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup)))
    )
    return _Run(model, optimizer, schedule, pad_id, time.monotonic(), config.max_minutes)


def _train_epoch(
    run: _Run, epoch: int, batches: list[list[int]], rows: list[list[int]], data: _Targets
) -> None:
    import torch

    run.model.train()
    for step, batch in enumerate(batches):
        ids, mask = collate([rows[i] for i in batch], run.pad_id)
        labels = torch.tensor([data.labels[i] for i in batch])
        binary = torch.tensor([data.binary[i] for i in batch])
        soft = torch.tensor([data.soft[i] for i in batch]) if data.soft is not None else None
        logits = run.model(input_ids=ids, attention_mask=mask).logits
        loss = training_loss(logits, labels, binary, soft, data.soft_weight)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(run.model.parameters(), 1.0)
        run.optimizer.step()
        run.schedule.step()
        run.optimizer.zero_grad()
        if step % 200 == 0:
            logger.info(
                "epoch %d step %d/%d loss %.4f %.1f min",
                epoch,
                step,
                len(batches),
                loss.item(),
                run.minutes(),
            )
        if run.out_of_time():
            logger.warning("time budget of %.0f minutes reached: stopping", run.max_minutes)
            return


def teacher_targets(
    config: TrainConfig, dataset: Dataset, examples: Sequence[Example], cache: Path | None
) -> list[list[float]] | None:
    """The teacher's out-of-fold probabilities of each review row (None: no teacher)."""
    if config.teacher == "none":
        return None
    if config.teacher not in TEACHERS or config.teacher_rows not in TEACHER_ROWS:
        raise ValueError(f"--teacher must be one of {TEACHERS}, --teacher-rows one of {TEACHER_ROWS}")
    teacher = TeacherConfig(
        kind=config.teacher, folds=config.teacher_folds, callcentre_weight=config.callcentre_repeat
    )
    by_text = teacher_probabilities(training_examples(dataset, 1), LABELS, teacher, cache)
    keep_hard = config.teacher_rows == "reviews"
    return [
        one_hot(e.label) if keep_hard and e.source == CALLCENTRE_SOURCE else by_text[e.text]
        for e in examples
    ]


def one_hot(label: SentimentLabel) -> list[float]:
    """A call-centre row's soft target with ``--teacher-rows reviews``: its own label. The n-gram
    teacher is no better than the student on these turns; following it there (``all``) cost 4
    points in run 6 of docs/sentiment.md."""
    return [float(label == name) for name in LABELS]


def train(
    config: TrainConfig, dataset: Dataset, tokenizer: Any, model: Any, teacher_cache: Path | None = None
) -> tuple[Any, list[dict[str, float]]]:
    """Run the epochs; return the model of the best dev epoch and the per-epoch history."""
    examples = training_examples(dataset, config.callcentre_repeat)
    encoded = tokenizer([e.text for e in examples], truncation=True, max_length=config.max_length)
    rows: list[list[int]] = encoded["input_ids"]
    targets = _Targets(
        labels=[LABELS.index(e.label) for e in examples],
        binary=[e.source != CALLCENTRE_SOURCE for e in examples],
        soft=teacher_targets(config, dataset, examples, teacher_cache),
        soft_weight=config.teacher_weight,
    )
    rng = random.Random(config.seed)
    steps = config.epochs * -(-len(rows) // config.batch_size)
    run = _start_run(config, model, tokenizer.pad_token_id, steps)
    history: list[dict[str, float]] = []
    best: tuple[float, Any] = (-1.0, None)
    for epoch in range(config.epochs):
        batches = make_batches([len(row) for row in rows], config.batch_size, rng)
        _train_epoch(run, epoch, batches, rows, targets)
        dev = dev_accuracy(model, tokenizer, dataset.review_dev, config.max_length)
        history.append(
            {"epoch": epoch + 1, "dev_accuracy": round(dev, 4), "minutes": round(run.minutes(), 1)}
        )
        logger.info("epoch %d dev accuracy %.4f", epoch + 1, dev)
        if dev > best[0]:
            best = (dev, copy.deepcopy(model.state_dict()))
        if run.out_of_time():
            break
    model.load_state_dict(best[1])
    return model, history


def dev_accuracy(model: Any, tokenizer: Any, examples: Sequence[Example], max_length: int) -> float:
    model.eval()
    analyzer = TransformersSentiment(model, tokenizer, LABELS, batch_size=128, max_length=max_length)
    return review_accuracy(analyzer.predict([e.text for e in examples]), examples)


def run(
    config: TrainConfig, data_dir: Path, output_dir: Path, teacher_cache: Path | None = None
) -> dict[str, Any]:
    """Train, save, reload the saved directory, score it, write metrics.json and the card."""
    import torch

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
    save_model(model, tokenizer, output_dir)
    shipped = load_sentiment_model(output_dir, threads=config.threads)
    metrics: dict[str, Any] = {
        **evaluate(shipped, dataset.review_test, dataset.callcentre_test),
        "review_dev_accuracy": max((h["dev_accuracy"] for h in history), default=None),
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
