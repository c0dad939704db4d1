"""Training helpers of the embedded sentiment model (no training run: fast)."""

from __future__ import annotations

import json
import random
from dataclasses import asdict

import pytest
import torch

from inspection.sentiment import DEFAULT_MODEL_DIR
from inspection.sentiment.training.batching import collate, make_batches
from inspection.sentiment.training.config import TrainConfig
from inspection.sentiment.training.dataset import DEFAULT_DATA_DIR
from inspection.sentiment.training.loss import LABELS, classification_loss
from inspection.sentiment.training.train import parse_args

NEUTRAL = LABELS.index("neutral")


def test_review_rows_never_push_the_neutral_logit() -> None:
    logits = torch.tensor([[0.5, 2.0, -1.0], [0.5, 2.0, -1.0]], requires_grad=True)
    labels = torch.tensor([LABELS.index("negative"), LABELS.index("negative")])
    classification_loss(logits, labels, torch.tensor([True, False])).backward()
    assert logits.grad is not None
    assert logits.grad[0, NEUTRAL] == 0  # review row: neutral is not a candidate
    assert logits.grad[1, NEUTRAL] > 0  # call-centre row: neutral is pushed down


def test_binary_row_loss_is_two_way_cross_entropy() -> None:
    logits = torch.tensor([[1.0, 9.0, 0.0]])
    label = torch.tensor([LABELS.index("negative")])
    two_way = torch.nn.functional.cross_entropy(torch.tensor([[1.0, 0.0]]), torch.tensor([0]))
    assert classification_loss(logits, label, torch.tensor([True])).item() == pytest.approx(two_way.item())


def test_neutral_call_centre_rows_learn_neutral() -> None:
    logits = torch.zeros(1, 3, requires_grad=True)
    classification_loss(logits, torch.tensor([NEUTRAL]), torch.tensor([False])).backward()
    assert logits.grad is not None and logits.grad[0, NEUTRAL] < 0


def test_batches_cover_every_row_once_with_little_padding() -> None:
    lengths = [random.Random(index).randint(1, 120) for index in range(1000)]
    batches = make_batches(lengths, 32, random.Random(7))
    assert sorted(i for batch in batches for i in batch) == list(range(1000))
    spread = [max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches]
    assert sum(spread) / len(spread) < 10  # sorted within pools, unlike a plain shuffle


def test_collate_pads_and_masks() -> None:
    ids, mask = collate([[5, 6, 7], [8]], pad_id=0)
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0]]
    assert mask.tolist() == [[1, 1, 1], [1, 0, 0]]


def test_the_command_s_defaults_reproduce_the_shipped_model() -> None:
    """No flag: the shipped configuration, the corpora beside the checkout, the embedded model's
    directory; every `TrainConfig` field is a flag of the same name."""
    config, data_dir, output_dir, cache = parse_args([])
    assert config == TrainConfig()
    assert (data_dir, output_dir, cache) == (DEFAULT_DATA_DIR, DEFAULT_MODEL_DIR, None)
    shipped = json.loads((DEFAULT_MODEL_DIR / "metrics.json").read_text(encoding="utf-8"))["config"]
    shipped.pop("max_minutes")  # a wall-time cap the shipped run did not reach: no effect on the result
    assert shipped == {k: v for k, v in asdict(TrainConfig()).items() if k != "max_minutes"}
    config, *_ = parse_args(["--teacher", "none", "--max-minutes", "5", "--vocab-size", "300"])
    assert (config.teacher, config.max_minutes, config.vocab_size) == ("none", 5.0, 300)
