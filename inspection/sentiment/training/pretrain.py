"""Optional masked-language-model pre-training of the classifier's encoder (``--mlm-epochs``).

The encoder (``model.bert``) learns to restore masked characters of the training texts (labels
unused) before fine-tuning; the MLM head is thrown away afterwards. Only masked positions go
through the output layer, which keeps the cost close to one classification epoch.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Sequence
from typing import Any

import torch
from transformers.models.bert.modeling_bert import BertOnlyMLMHead

logger = logging.getLogger("inspection.sentiment.training")

MASK_PROBABILITY = 0.15
FIRST_ORDINARY_ID = 5  # ids 0-4 are [PAD] [UNK] [CLS] [SEP] [MASK]


def mask_tokens(ids: Any, mask_id: int, vocab_size: int, generator: Any) -> tuple[Any, Any]:
    """BERT masking: 15% of ordinary tokens; of those 80% [MASK], 10% random, 10% unchanged.
    Returns the corrupted ids and the labels (-100 where nothing is predicted)."""
    ordinary = ids >= FIRST_ORDINARY_ID
    chosen = (torch.rand(ids.shape, generator=generator) < MASK_PROBABILITY) & ordinary
    labels = torch.where(chosen, ids, torch.full_like(ids, -100))
    draw = torch.rand(ids.shape, generator=generator)
    corrupted = ids.clone()
    corrupted[chosen & (draw < 0.8)] = mask_id
    swap = chosen & (draw >= 0.8) & (draw < 0.9)
    random_ids = torch.randint(FIRST_ORDINARY_ID, vocab_size, ids.shape, generator=generator)
    corrupted[swap] = random_ids[swap]
    return corrupted, labels


def pretrain_mlm(
    model: Any,
    rows: Sequence[list[int]],
    make_batches: Callable[[list[int], random.Random], list[list[int]]],
    collate: Callable[[Sequence[list[int]]], tuple[Any, Any]],
    *,
    mask_id: int,
    epochs: int,
    learning_rate: float,
    seed: int,
) -> list[float]:
    """Pre-train `model.bert` in place; return the mean MLM loss of each epoch."""
    config = model.config
    head = BertOnlyMLMHead(config)
    parameters = [*model.bert.parameters(), *head.parameters()]
    optimizer = torch.optim.AdamW(parameters, lr=learning_rate, weight_decay=0.01)
    rng, generator = random.Random(seed), torch.Generator().manual_seed(seed)
    plans = [make_batches([len(row) for row in rows], rng) for _ in range(epochs)]
    steps, warmup = sum(len(plan) for plan in plans), max(1, sum(len(p) for p in plans) // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    losses, started = [], time.monotonic()
    model.train()
    for epoch, plan in enumerate(plans):
        total = 0.0
        for step, batch in enumerate(plan):
            ids, mask = collate([rows[i] for i in batch])
            inputs, labels = mask_tokens(ids, mask_id, config.vocab_size, generator)
            hidden = model.bert(input_ids=inputs, attention_mask=mask).last_hidden_state
            selected = labels != -100
            if not bool(selected.any()):
                continue
            logits = head(hidden[selected])
            loss = torch.nn.functional.cross_entropy(logits, labels[selected])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(parameters, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
            if step % 200 == 0:
                minutes = (time.monotonic() - started) / 60
                logger.info(
                    "mlm epoch %d step %d/%d loss %.3f %.1f min", epoch, step, len(plan), loss.item(), minutes
                )
        losses.append(round(total / max(1, len(plan)), 4))
        logger.info("mlm epoch %d mean loss %.4f", epoch + 1, losses[-1])
    return losses
