"""The supervised epochs of a training run: AdamW with warm-up and linear decay, length-sorted
batches, the hard-label + distillation + not-neutral loss (`loss`), and the epoch with the best
dev score kept: the mean of review-dev accuracy (score ≥ 0.5) and call-centre-dev accuracy
(three labels) — never a test split. `teacher_targets` gives each training row its soft
target."""

from __future__ import annotations

import copy
import logging
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from inspection.sentiment.classifier import TransformersSentiment
from inspection.sentiment.training.batching import collate, make_batches
from inspection.sentiment.training.config import TEACHER_ROWS, TrainConfig
from inspection.sentiment.training.dataset import CALLCENTRE_SOURCE, Dataset, Example, training_examples
from inspection.sentiment.training.evaluation import label_accuracy, review_accuracy
from inspection.sentiment.training.loss import LABELS, training_loss
from inspection.sentiment.training.teacher import TEACHERS, TeacherConfig, teacher_probabilities
from inspection.types import SentimentLabel

logger = logging.getLogger("inspection.sentiment.training")


@dataclass(frozen=True)
class _Targets:
    """Per training row: the label index, whether the row is binary (a review), and the
    teacher's probabilities (None without a teacher)."""

    labels: list[int]
    binary: list[bool]
    soft: list[list[float]] | None = None
    soft_weight: float = 0.0
    not_neutral: float = 0.0


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
    run.model.train()
    for step, batch in enumerate(batches):
        ids, mask = collate([rows[i] for i in batch], run.pad_id)
        labels = torch.tensor([data.labels[i] for i in batch])
        binary = torch.tensor([data.binary[i] for i in batch])
        soft = torch.tensor([data.soft[i] for i in batch]) if data.soft is not None else None
        logits = run.model(input_ids=ids, attention_mask=mask).logits
        loss = training_loss(logits, labels, binary, soft, data.soft_weight, data.not_neutral)
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
        not_neutral=config.review_not_neutral,
    )
    rng = random.Random(config.seed)
    steps = config.epochs * -(-len(rows) // config.batch_size)
    run = _start_run(config, model, tokenizer.pad_token_id, steps)
    history: list[dict[str, float]] = []
    best: tuple[float, Any] = (-1.0, None)
    for epoch in range(config.epochs):
        batches = make_batches([len(row) for row in rows], config.batch_size, rng)
        _train_epoch(run, epoch, batches, rows, targets)
        review, calls = dev_accuracies(model, tokenizer, dataset, config.max_length)
        dev = (review + calls) / 2 if dataset.callcentre_dev else review
        history.append({"epoch": epoch + 1, "dev_accuracy": round(review, 4),
                        "callcentre_dev_accuracy": round(calls, 4), "minutes": round(run.minutes(), 1)})
        logger.info("epoch %d dev accuracy: reviews %.4f, call-centre %.4f", epoch + 1, review, calls)
        if dev > best[0]:
            best = (dev, copy.deepcopy(model.state_dict()))
        if run.out_of_time():
            break
    model.load_state_dict(best[1])
    return model, history


def dev_accuracies(model: Any, tokenizer: Any, dataset: Dataset, max_length: int) -> tuple[float, float]:
    """`model`'s (switched to eval mode) review-dev binary accuracy and call-centre-dev
    three-label accuracy (0 without that split)."""
    model.eval()
    analyzer = TransformersSentiment(model, tokenizer, LABELS, batch_size=128, max_length=max_length)
    review = review_accuracy(analyzer.predict([e.text for e in dataset.review_dev]), dataset.review_dev)
    calls = dataset.callcentre_dev
    return review, label_accuracy(analyzer.predict([e.text for e in calls]), calls) if calls else 0.0
