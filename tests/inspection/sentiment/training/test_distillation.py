"""The distillation loss and the n-gram teacher of the training script (fast: tiny data)."""

from __future__ import annotations

import pytest
import torch

from inspection.sentiment.training.config import TrainConfig
from inspection.sentiment.training.dataset import CALLCENTRE_SOURCE, Dataset, Example
from inspection.sentiment.training.fit import teacher_targets
from inspection.sentiment.training.loss import (
    LABELS,
    classification_loss,
    soft_cross_entropy,
    training_loss,
)
from inspection.sentiment.training.teacher import TeacherConfig, fold_of, teacher_probabilities

NEUTRAL = LABELS.index("neutral")


def test_soft_loss_of_a_review_row_ignores_neutral() -> None:
    logits = torch.tensor([[0.3, 5.0, -0.2]], requires_grad=True)
    soft = torch.tensor([[0.6, 0.3, 0.1]])  # the teacher's neutral mass is dropped, rest renormalised
    loss = soft_cross_entropy(logits, soft, torch.tensor([True]))
    two_way = -(torch.tensor([6 / 7, 1 / 7]) * torch.log_softmax(torch.tensor([0.3, -0.2]), 0)).sum()
    assert loss.item() == pytest.approx(two_way.item(), rel=1e-5)
    loss.backward()
    assert logits.grad is not None and logits.grad[0, NEUTRAL] == 0


def test_soft_loss_of_a_call_centre_row_uses_all_three_labels() -> None:
    logits = torch.zeros(1, 3, requires_grad=True)
    soft_cross_entropy(logits, torch.tensor([[0.1, 0.8, 0.1]]), torch.tensor([False])).backward()
    assert logits.grad is not None and logits.grad[0, NEUTRAL] < 0


def test_training_loss_mixes_hard_and_soft() -> None:
    logits, labels = torch.tensor([[1.0, 0.0, -1.0]]), torch.tensor([2])
    binary, soft = torch.tensor([False]), torch.tensor([[0.2, 0.2, 0.6]])
    hard = classification_loss(logits, labels, binary)
    assert training_loss(logits, labels, binary, None, 0.5).item() == hard.item()
    assert training_loss(logits, labels, binary, soft, 0.0).item() == hard.item()
    mixed = 0.25 * hard + 0.75 * soft_cross_entropy(logits, soft, binary)
    assert training_loss(logits, labels, binary, soft, 0.75).item() == pytest.approx(mixed.item())


def test_folds_are_a_function_of_the_text() -> None:
    assert fold_of("我要投诉", 5) == fold_of("我要投诉", 5)
    assert {fold_of(f"评论{i}", 5) for i in range(100)} == set(range(5))


def _examples() -> list[Example]:
    good = [f"很好{i}，非常满意，推荐" for i in range(20)]
    bad = [f"太差{i}，非常失望，退货" for i in range(20)]
    calm = [f"我想查一下账单{i}" for i in range(10)]
    return [
        *(Example(text, "positive", "reviews") for text in good),
        *(Example(text, "negative", "reviews") for text in bad),
        *(Example(text, "neutral", CALLCENTRE_SOURCE) for text in calm),
    ]


def test_teacher_gives_out_of_fold_probabilities_and_caches_them(tmp_path) -> None:
    examples, cache = _examples(), tmp_path / "teacher.npz"
    config = TeacherConfig(kind="char", folds=5, callcentre_weight=3.0)
    first = teacher_probabilities(examples, LABELS, config, cache)
    assert set(first) == {e.text for e in examples} and cache.is_file()
    for example in examples:
        row = first[example.text]
        assert sum(row) == pytest.approx(1.0)
        assert max(range(3), key=row.__getitem__) == LABELS.index(example.label)
    assert teacher_probabilities(examples, LABELS, config, cache) == first
    changed = TeacherConfig(kind="char", folds=5, callcentre_weight=1.0)
    assert teacher_probabilities(examples, LABELS, changed, cache) != first  # stale cache ignored


def test_only_review_rows_get_the_teacher_s_probabilities() -> None:
    examples = _examples()
    reviews = tuple(e for e in examples if e.source != CALLCENTRE_SOURCE)
    calls = tuple(e for e in examples if e.source == CALLCENTRE_SOURCE)
    dataset = Dataset(reviews, (), (), calls, ())
    config = TrainConfig(teacher="char", teacher_folds=5, callcentre_repeat=3, teacher_rows="reviews")
    soft = teacher_targets(config, dataset, examples, cache=None)
    assert soft is not None
    for example, row in zip(examples, soft, strict=True):
        if example.source == CALLCENTRE_SOURCE:
            assert row == [float(name == example.label) for name in LABELS]
        else:
            assert 0 < max(row) < 1
    assert teacher_targets(TrainConfig(teacher="none"), dataset, examples, cache=None) is None
