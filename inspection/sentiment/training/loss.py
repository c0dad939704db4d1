"""Training losses of the embedded model: hard-label cross-entropy and distillation.

Review rows (``binary``: negative or positive, never neutral) are scored over negative/positive
only, so the review corpora do not teach the model that a neutral request is unlikely; the
neutral class is learnt from the call-centre rows alone.
"""

from __future__ import annotations

from typing import Any

import torch

from inspection.types import SentimentLabel

LABELS: tuple[SentimentLabel, ...] = ("negative", "neutral", "positive")  # the model's class order
NEUTRAL_INDEX = LABELS.index("neutral")


def _neutral_of_binary(logits: Any, binary: Any) -> Any:
    """True at the neutral logit of every binary (review) row."""
    neutral = torch.zeros_like(logits, dtype=torch.bool)
    neutral[:, NEUTRAL_INDEX] = True
    return neutral & binary[:, None]


def classification_loss(logits: Any, labels: Any, binary: Any) -> Any:
    """Cross-entropy, binary rows over negative/positive only."""
    masked = logits.masked_fill(_neutral_of_binary(logits, binary), float("-inf"))
    return torch.nn.functional.cross_entropy(masked, labels)


def soft_cross_entropy(logits: Any, soft: Any, binary: Any) -> Any:
    """Mean cross-entropy to the teacher's probabilities `soft`; binary rows over
    negative/positive only (their `soft` neutral entry is ignored)."""
    excluded = _neutral_of_binary(logits, binary)
    log_p = torch.log_softmax(logits.masked_fill(excluded, float("-inf")), dim=-1)
    log_p = log_p.masked_fill(excluded, 0.0)
    target = soft.masked_fill(excluded, 0.0)
    target = target / target.sum(dim=-1, keepdim=True).clamp_min(1e-12)
    return -(target * log_p).sum(dim=-1).mean()


def training_loss(logits: Any, labels: Any, binary: Any, soft: Any | None, soft_weight: float) -> Any:
    """(1 - soft_weight)·CE(hard labels) + soft_weight·CE(teacher probabilities)."""
    hard = classification_loss(logits, labels, binary)
    if soft is None or soft_weight <= 0:
        return hard
    return (1 - soft_weight) * hard + soft_weight * soft_cross_entropy(logits, soft, binary)
