"""Training losses of the embedded model: hard-label cross-entropy and distillation.

Review rows (``binary``: negative or positive, never neutral) are scored over negative/positive
only, so the review corpora do not teach the model that a neutral request is unlikely; the
neutral class is learnt from the call-centre rows. Left there, nothing kept the neutral mass
low on review-like text (half the reviews came out `neutral`, issue 18): `not_neutral_loss`
adds −log(1 − P(neutral)) on the review rows, weighted ``--review-not-neutral``: an opinionated
review is not neutral, whichever way it leans.
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


def not_neutral_loss(logits: Any, binary: Any) -> Any:
    """Mean over the batch of −log(1 − P(neutral)) on the binary (review) rows, 0 on the others."""
    log_all = torch.logsumexp(logits, dim=-1)
    polar = torch.cat([logits[:, :NEUTRAL_INDEX], logits[:, NEUTRAL_INDEX + 1 :]], dim=-1)
    per_row = log_all - torch.logsumexp(polar, dim=-1)
    return (per_row * binary.float()).mean()


def training_loss(logits: Any, labels: Any, binary: Any, soft: Any | None, soft_weight: float,
                  not_neutral: float = 0.0) -> Any:
    """(1 - soft_weight)·CE(hard labels) + soft_weight·CE(teacher probabilities)
    + not_neutral·(−log(1 − P(neutral)) on review rows)."""
    loss = classification_loss(logits, labels, binary)
    if soft is not None and soft_weight > 0:
        loss = (1 - soft_weight) * loss + soft_weight * soft_cross_entropy(logits, soft, binary)
    if not_neutral > 0:
        loss = loss + not_neutral * not_neutral_loss(logits, binary)
    return loss
