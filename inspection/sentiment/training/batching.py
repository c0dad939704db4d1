"""Length-sorted mini-batches of token-id rows and their padding (training time only)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import torch


def make_batches(lengths: Sequence[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, sort by length within pools of 50 batches (little padding), shuffle batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = batch_size * 50
    batches: list[list[int]] = []
    for start in range(0, len(order), pool):
        chunk = sorted(order[start : start + pool], key=lambda index: lengths[index])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def collate(rows: Sequence[list[int]], pad_id: int) -> tuple[Any, Any]:
    """Token ids padded with `pad_id` to the longest row, and the attention mask (1 = token)."""
    width = max(len(row) for row in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    for position, row in enumerate(rows):
        ids[position, : len(row)] = torch.tensor(row, dtype=torch.long)
    return ids, (ids != pad_id).long()
