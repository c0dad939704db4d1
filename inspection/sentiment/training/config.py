"""Every knob of a training run (`TrainConfig`): the ``train`` command's flags, recorded in
``metrics.json``. The defaults reproduce the shipped model."""

from __future__ import annotations

from dataclasses import dataclass

TEACHER_ROWS = ("reviews", "all")  # which training rows learn from the teacher's probabilities


@dataclass(frozen=True)
class TrainConfig:
    """Every knob of a training run; recorded in metrics.json."""

    seed: int = 20261123
    epochs: int = 1
    batch_size: int = 32
    learning_rate: float = 7e-4
    warmup_fraction: float = 0.06
    weight_decay: float = 0.01
    hidden_size: int = 256
    layers: int = 2
    heads: int = 4
    intermediate_size: int = 512
    max_length: int = 192
    tokenizer: str = "unigram"
    vocab_size: int = 12000
    callcentre_repeat: int = 30
    mlm_epochs: int = 0
    teacher: str = "none"
    teacher_weight: float = 0.8
    teacher_folds: int = 5
    teacher_rows: str = "reviews"
    review_not_neutral: float = 0.3
    calibrate: bool = True
    threads: int = 1
    max_minutes: float = 120.0
