"""Calibration, the not-neutral loss and the figures bench/sentiment.py reports (fast)."""

from __future__ import annotations

import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification

from inspection.sentiment.training.calibration import apply_calibration, fit_calibration
from inspection.sentiment.training.dataset import Example
from inspection.sentiment.training.evaluation import (
    expected_calibration_error,
    split_figures,
    wilson_interval,
)
from inspection.sentiment.training.loss import LABELS, not_neutral_loss, training_loss
from inspection.types import SentimentResult

NEUTRAL = LABELS.index("neutral")


def test_not_neutral_loss_pushes_neutral_down_on_review_rows_only() -> None:
    logits = torch.zeros(2, 3, requires_grad=True)
    not_neutral_loss(logits, torch.tensor([True, False])).backward()
    assert logits.grad is not None
    assert logits.grad[0, NEUTRAL] > 0 and logits.grad[0, 0] < 0 and logits.grad[0, 2] < 0
    assert torch.all(logits.grad[1] == 0)


def test_training_loss_adds_the_not_neutral_term() -> None:
    logits, labels, binary = torch.tensor([[0.0, 2.0, 0.0]]), torch.tensor([0]), torch.tensor([True])
    plain = training_loss(logits, labels, binary, None, 0.0)
    assert training_loss(logits, labels, binary, None, 0.0, not_neutral=0.5) > plain


def _overconfident(rows: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits three times too sharp, with a spurious +1.5 on neutral."""
    generator = torch.Generator().manual_seed(seed)
    true_logits = torch.randn(rows, 3, generator=generator)
    labels = torch.multinomial(torch.softmax(true_logits, -1), 1, generator=generator).squeeze(1)
    return 3 * true_logits + torch.tensor([0.0, 1.5, 0.0]), labels


def test_calibration_recovers_temperature_and_bias() -> None:
    calibration = fit_calibration([_overconfident(2000, 1), _overconfident(2000, 2)])
    assert calibration.temperature == pytest.approx(3.0, rel=0.15)
    assert calibration.bias[NEUTRAL] < min(calibration.bias[0], calibration.bias[2])
    assert calibration.dev_nll_after < calibration.dev_nll_before


def test_calibration_is_folded_into_the_classifier_layer() -> None:
    config = BertConfig(vocab_size=30, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, num_labels=3)
    model = BertForSequenceClassification(config).eval()
    ids = torch.tensor([[1, 5, 7, 2]])
    with torch.no_grad():
        before = model(input_ids=ids).logits
    fitted = fit_calibration([_overconfident(500, 3)])
    apply_calibration(model, fitted)
    with torch.no_grad():
        after = model(input_ids=ids).logits
    expected = before / fitted.temperature + torch.tensor(fitted.bias)
    assert torch.allclose(after, expected, atol=1e-5)


def test_ece_is_zero_when_confidence_matches_accuracy() -> None:
    assert expected_calibration_error([0.8] * 10, [True] * 8 + [False] * 2) == pytest.approx(0.0)
    assert expected_calibration_error([1.0] * 4, [False] * 4) == pytest.approx(1.0)


def test_wilson_interval_holds_the_proportion() -> None:
    low, high = wilson_interval(850, 1000)
    assert low < 0.85 < high and high - low == pytest.approx(0.044, abs=0.002)
    assert wilson_interval(0, 0) == (0.0, 1.0)


class _Fixed:
    def __init__(self, results: list[SentimentResult]) -> None:
        self.results = results

    def predict(self, texts: list[str]) -> list[SentimentResult]:
        return self.results[: len(texts)]


def test_review_figures_read_the_score_and_count_neutral_labels() -> None:
    examples = [Example("a", "positive", "r"), Example("b", "negative", "r")]
    analyzer = _Fixed([SentimentResult("neutral", 0.5), SentimentResult("negative", 0.1)])
    figures = split_figures(analyzer, examples, binary=True)
    assert figures["accuracy"] == 1.0 and figures["neutral_share"] == 0.5
    assert split_figures(analyzer, examples, binary=False)["ece"] is None  # no probabilities
