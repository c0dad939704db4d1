"""The epochs of a fine-tuning run (`inspection.sentiment.training.finetune`): the training rows,
AdamW with warm-up and linear decay, dev checkpoints, and temperature scaling.

Every row is scored by plain three-way cross-entropy, reviews included: an opinionated review is
*not neutral* (with the embedded model's two-way review loss, half the reviews came out
`neutral`, issue 18). The checkpoint kept is the one with the best mean of review-dev accuracy
(``score ≥ 0.5``) and call-centre-dev label accuracy; a temperature fitted on the same dev rows
is then folded into the classification layer, so the saved model is calibrated as it stands.
"""

from __future__ import annotations

import copy
import logging
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from inspection.sentiment.training.batching import collate, make_batches
from inspection.sentiment.training.calibration import dev_logits
from inspection.sentiment.training.dataset import Dataset, Example
from inspection.sentiment.training.loss import LABELS

logger = logging.getLogger("inspection.sentiment.training")

TEMPERATURES = tuple(round(0.5 + 0.05 * step, 2) for step in range(71))  # 0.5 … 4.0


@dataclass(frozen=True)
class FitSettings:
    """The knobs the loop reads (a subset of `FinetuneConfig`)."""

    seed: int
    epochs: int
    batch_size: int
    learning_rate: float
    warmup_fraction: float
    weight_decay: float
    max_length: int
    checks_per_epoch: int
    max_minutes: float


def training_rows(dataset: Dataset, review_rows: int, callcentre_repeat: int, seed: int
                  ) -> list[Example]:
    """`review_rows` review training rows, an equal share from each corpus (all of a corpus
    when it has fewer), plus the call-centre training rows `callcentre_repeat` times."""
    by_source: dict[str, list[Example]] = {}
    for example in dataset.review_train:
        by_source.setdefault(example.source, []).append(example)
    rng = random.Random(seed)
    picked: list[Example] = []
    left, sources = review_rows, sorted(by_source, key=lambda name: len(by_source[name]))
    for index, name in enumerate(sources):  # smallest first: a short corpus's unused share passes on
        share = left // (len(sources) - index)
        rows = by_source[name]
        chosen = rows if len(rows) <= share else rng.sample(rows, share)
        picked.extend(chosen)
        left -= len(chosen)
    return [*picked, *(list(dataset.callcentre_train) * callcentre_repeat)]


def dev_rows(dataset: Dataset, review_dev_rows: int, seed: int) -> list[Example]:
    """A fixed sample of review dev (`review_dev_rows`) plus all of call-centre dev."""
    reviews = list(dataset.review_dev)
    if len(reviews) > review_dev_rows:
        reviews = random.Random(seed + 1).sample(reviews, review_dev_rows)
    return [*reviews, *dataset.callcentre_dev]


def dev_score(logits: Any, examples: Sequence[Example]) -> dict[str, float]:
    """Review-dev accuracy (score = P(pos) + ½P(neu) ≥ 0.5), call-centre-dev label accuracy,
    and their mean (the selection key; the review figure alone without call-centre dev)."""
    probabilities = torch.softmax(logits, dim=-1)
    score = probabilities[:, LABELS.index("positive")] + 0.5 * probabilities[:, LABELS.index("neutral")]
    review = [i for i, e in enumerate(examples) if e.source != "callcentre"]
    calls = [i for i, e in enumerate(examples) if e.source == "callcentre"]
    review_hits = sum((score[i].item() >= 0.5) == (examples[i].label == "positive") for i in review)
    call_hits = sum(LABELS[int(probabilities[i].argmax())] == examples[i].label for i in calls)
    figures = {"review_dev_accuracy": review_hits / max(1, len(review))}
    if calls:
        figures["callcentre_dev_accuracy"] = call_hits / len(calls)
    figures["selection"] = sum(figures.values()) / len(figures)
    return {name: round(value, 4) for name, value in figures.items()}


def fit_temperature(logits: Any, examples: Sequence[Example]) -> float:
    """The temperature (grid `TEMPERATURES`) minimising the dev rows' negative log-likelihood."""
    labels = torch.tensor([LABELS.index(e.label) for e in examples])

    def nll(temperature: float) -> float:
        return float(torch.nn.functional.cross_entropy(logits / temperature, labels))

    return min(TEMPERATURES, key=nll)


def fold_temperature(model: Any, temperature: float) -> None:
    """Divide the classification layer (the last linear layer with one output per label) by
    `temperature`: the model's logits become logits / temperature."""
    heads = [m for m in model.modules()
             if isinstance(m, torch.nn.Linear) and m.out_features == len(LABELS)]
    if not heads:
        raise ValueError("no classification layer with one output per label found")
    with torch.no_grad():
        heads[-1].weight.div_(temperature)
        if heads[-1].bias is not None:
            heads[-1].bias.div_(temperature)


def _optimiser(settings: FitSettings, model: Any, steps: int) -> tuple[Any, Any]:
    """AdamW over the trainable parameters, linear warm-up then linear decay to 0 over `steps`."""
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                  lr=settings.learning_rate, weight_decay=settings.weight_decay)
    warmup = max(1, int(steps * settings.warmup_fraction))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup))))
    return optimizer, schedule


def _train_step(model: Any, optimizer: Any, schedule: Any, batch: tuple[Any, Any], labels: Any) -> float:
    """One AdamW step on a padded batch (ids, mask); returns the batch's loss."""
    model.train()
    logits = model(input_ids=batch[0], attention_mask=batch[1]).logits
    loss = torch.nn.functional.cross_entropy(logits, labels)
    loss.backward()
    torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
    optimizer.step()
    schedule.step()
    optimizer.zero_grad()
    return float(loss.item())


def fit(settings: FitSettings, model: Any, tokenizer: Any, rows: Sequence[Example],
        dev: Sequence[Example]) -> tuple[Any, list[dict[str, float]]]:
    """Train; return the model at its best dev checkpoint and the checkpoints' history."""
    ids = tokenizer([e.text for e in rows], truncation=True, max_length=settings.max_length)["input_ids"]
    labels = [LABELS.index(e.label) for e in rows]
    rng = random.Random(settings.seed)
    per_epoch = math.ceil(len(rows) / settings.batch_size)
    steps = settings.epochs * per_epoch
    optimizer, schedule = _optimiser(settings, model, steps)
    check_every = max(1, math.ceil(per_epoch / max(1, settings.checks_per_epoch)))
    started, step, history = time.monotonic(), 0, []
    best: tuple[float, Any] = (-1.0, None)
    for epoch in range(settings.epochs):
        for batch_number, batch in enumerate(make_batches([len(r) for r in ids], settings.batch_size, rng)):
            loss = _train_step(model, optimizer, schedule,
                               collate([ids[i] for i in batch], tokenizer.pad_token_id),
                               torch.tensor([labels[i] for i in batch]))
            step += 1
            minutes = (time.monotonic() - started) / 60
            if step % 50 == 0:
                logger.info("epoch %d step %d/%d loss %.4f %.1f min", epoch + 1, step, steps, loss, minutes)
            last = batch_number + 1 == per_epoch or minutes > settings.max_minutes
            if step % check_every == 0 or last:
                figures = dev_score(dev_logits(model, tokenizer, dev, settings.max_length), dev)
                history.append({"epoch": epoch + 1, "step": step, **figures,
                                "minutes": round((time.monotonic() - started) / 60, 1)})
                logger.info("checkpoint %s", history[-1])
                if figures["selection"] > best[0]:
                    best = (figures["selection"], copy.deepcopy(model.state_dict()))
            if minutes > settings.max_minutes:
                logger.warning("time budget of %.0f minutes reached: stopping", settings.max_minutes)
                model.load_state_dict(best[1])
                return model, history
    model.load_state_dict(best[1])
    return model, history
