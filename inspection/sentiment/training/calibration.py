"""Calibration of a trained model on the dev splits (``--calibrate``, on by default).

Temperature scaling plus one bias per class, fitted by minimising the negative log-likelihood of
the dev rows — review dev (an opinionated review's label is negative or positive, never
neutral, so its neutral probability is a cost here) and call-centre dev (three labels), each
source weighing half — and folded into the classifier layer (weights ÷ T, bias ÷ T + b). The
saved directory stays a plain Hugging Face model: the runtime needs nothing new, and the label
(arg-max) and `score` (P(positive) + ½·P(neutral)) come from the calibrated probabilities. No
test row is read.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from inspection.sentiment.training.dataset import Example
from inspection.sentiment.training.loss import LABELS

logger = logging.getLogger("inspection.sentiment.training")


@dataclass(frozen=True)
class Calibration:
    """Temperature, per-class bias (in `LABELS` order) and the dev NLL before and after."""

    temperature: float
    bias: tuple[float, ...]
    dev_nll_before: float
    dev_nll_after: float


def dev_logits(model: Any, tokenizer: Any, examples: Sequence[Example], max_length: int) -> Any:
    """The logits of any sequence-classification `model` (eval mode) for each example, in order
    (batched shortest first, so little padding)."""
    model.eval()
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].text))
    out = torch.zeros(len(examples), len(LABELS))
    with torch.inference_mode():
        for start in range(0, len(order), 64):
            chunk = order[start : start + 64]
            encoded = tokenizer([examples[i].text for i in chunk], padding=True, truncation=True,
                                max_length=max_length, return_tensors="pt")
            out[chunk] = model(input_ids=encoded["input_ids"],
                               attention_mask=encoded["attention_mask"]).logits.float()
    return out


def dev_labels(examples: Sequence[Example]) -> Any:
    """The examples' label indices (in `LABELS` order) as a tensor."""
    return torch.tensor([LABELS.index(e.label) for e in examples], dtype=torch.long)


def _nll(groups: Sequence[tuple[Any, Any]], log_t: Any, bias: Any) -> Any:
    losses = [torch.nn.functional.cross_entropy(logits / log_t.exp() + bias, labels)
              for logits, labels in groups if len(labels)]
    return sum(losses) / len(losses)


def fit_calibration(groups: Sequence[tuple[Any, Any]]) -> Calibration:
    """Temperature and bias minimising the mean of each group's NLL (L-BFGS, 4 parameters)."""
    log_t = torch.zeros((), requires_grad=True)
    bias = torch.zeros(len(LABELS), requires_grad=True)
    with torch.no_grad():
        before = float(_nll(groups, log_t, bias))
    optimiser = torch.optim.LBFGS([log_t, bias], lr=0.5, max_iter=200, line_search_fn="strong_wolfe")

    def closure() -> Any:
        optimiser.zero_grad()
        loss = _nll(groups, log_t, bias)
        loss.backward()
        return loss

    optimiser.step(closure)
    with torch.no_grad():
        centred = bias - bias.mean()  # softmax ignores a common shift
        after = float(_nll(groups, log_t, centred))
    temperature = round(float(log_t.detach().exp()), 4)
    calibration = Calibration(temperature, tuple(round(float(b), 4) for b in centred),
                              round(before, 4), round(after, 4))
    logger.info("calibration %s", calibration)
    return calibration


def apply_calibration(model: Any, calibration: Calibration) -> None:
    """Fold the temperature and bias into `model.classifier` (in place)."""
    with torch.no_grad():
        layer = model.classifier
        layer.weight /= calibration.temperature
        layer.bias.copy_(layer.bias / calibration.temperature + torch.tensor(calibration.bias))


def calibrate(model: Any, tokenizer: Any, review_dev: Sequence[Example],
              callcentre_dev: Sequence[Example], max_length: int) -> Calibration:
    """Fit on the dev splits and apply to `model`; returns what was applied."""
    groups = [(dev_logits(model, tokenizer, split, max_length), dev_labels(split))
              for split in (review_dev, callcentre_dev)]
    calibration = fit_calibration(groups)
    apply_calibration(model, calibration)
    return calibration
