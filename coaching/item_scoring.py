"""Scoring functions: turn a metric value into a 0–100-ish item score (rules as data).

A template item's `scoring` is validated by the pydantic model chosen by its `type`
(a discriminated union, `extra="forbid"`); `SCORING_FUNCTIONS` maps each type, in one explicit
dict, to the function computing the raw score. Every type then applies the same
threshold bands (加减分: `bands`) and clamping (`floor` / `ceiling`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from coaching.dictionary import Direction

Comparison = Literal["ge", "gt", "le", "lt"]
_OPS: dict[str, Callable[[float, float], bool]] = {
    "ge": lambda a, b: a >= b,
    "gt": lambda a, b: a > b,
    "le": lambda a, b: a <= b,
    "lt": lambda a, b: a < b,
}
SYMBOLS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}


def compare(op: Comparison, value: float, threshold: float) -> bool:
    """`value` `op` `threshold`, e.g. compare("lt", 80, 85) is True."""
    return _OPS[op](value, threshold)


class Band(BaseModel):
    """A bonus/penalty: add `points` when the value (or the raw score) passes `threshold`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    of: Literal["value", "score"] = "value"
    op: Comparison
    threshold: float
    points: float

    def applies(self, value: float, raw_score: float) -> bool:
        subject = value if self.of == "value" else raw_score
        return _OPS[self.op](subject, self.threshold)

    def describe(self) -> str:
        subject = "值" if self.of == "value" else "得分"
        return f"{subject}{SYMBOLS[self.op]}{self.threshold:g} {self.points:+g}"


class _Scoring(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    bands: tuple[Band, ...] = ()
    floor: float | None = None
    ceiling: float | None = None


class LinearScale(_Scoring):
    """`low` scores 0, `high` scores 100, linearly: CSAT (mean − 1) / 4 × 100 is low 1, high 5."""

    type: Literal["linear_scale"]
    low: float
    high: float


class LinearBand(_Scoring):
    """100 at `full_at` or better, `points_per_step` off per `step` worse, 0 at `zero_at`."""

    type: Literal["linear_band"]
    full_at: float
    step: float = Field(gt=0)
    points_per_step: float = Field(gt=0)
    zero_at: float | None = None


class BaselineRatio(_Scoring):
    """baseline / actual × 100 for lower-is-better metrics, actual / baseline × 100 otherwise."""

    type: Literal["baseline_ratio"]
    baseline: float = Field(gt=0)


class Threshold(_Scoring):
    """基准分 + 浮动分: `base` plus every matching band's points."""

    type: Literal["threshold"]
    base: float


class Capped(_Scoring):
    """offset + scale × value, clamped to [floor, ceiling] (default 0–100)."""

    type: Literal["capped"]
    offset: float = 0.0
    scale: float = 1.0
    floor: float | None = 0.0
    ceiling: float | None = 100.0


ScoringSpec = Annotated[
    LinearScale | LinearBand | BaselineRatio | Threshold | Capped, Field(discriminator="type")
]


def _linear_scale(spec: Any, value: float, direction: Direction) -> float:
    return (value - spec.low) / (spec.high - spec.low) * 100.0


def _linear_band(spec: Any, value: float, direction: Direction) -> float:
    worse_by = spec.full_at - value if direction == "higher" else value - spec.full_at
    if spec.zero_at is not None:
        at_zero = value <= spec.zero_at if direction == "higher" else value >= spec.zero_at
        if at_zero:
            return 0.0
    return max(0.0, 100.0 - max(0.0, worse_by) / spec.step * spec.points_per_step)


def _baseline_ratio(spec: Any, value: float, direction: Direction) -> float:
    if direction == "higher":
        return value / spec.baseline * 100.0
    if value <= 0:
        return spec.ceiling if spec.ceiling is not None else 100.0
    return spec.baseline / value * 100.0


def _threshold(spec: Any, value: float, direction: Direction) -> float:
    return float(spec.base)


def _capped(spec: Any, value: float, direction: Direction) -> float:
    return spec.offset + spec.scale * value


SCORING_FUNCTIONS: dict[str, Callable[[Any, float, Direction], float]] = {
    "linear_scale": _linear_scale,
    "linear_band": _linear_band,
    "baseline_ratio": _baseline_ratio,
    "threshold": _threshold,
    "capped": _capped,
}


@dataclass(frozen=True)
class ItemScore:
    """The score of one value, with the raw score and the bands that moved it."""

    score: float
    raw_score: float
    adjustments: tuple[str, ...] = ()


def score_value(spec: ScoringSpec, value: float, direction: Direction) -> ItemScore:
    """Score `value` with `spec`: raw score by type, then bands, then floor/ceiling."""
    raw = SCORING_FUNCTIONS[spec.type](spec, value, direction)
    score = raw
    notes: list[str] = []
    for band in spec.bands:
        if band.applies(value, raw):
            score += band.points
            notes.append(band.describe())
    if spec.floor is not None and score < spec.floor:
        score = spec.floor
        notes.append(f"下限 {spec.floor:g}")
    if spec.ceiling is not None and score > spec.ceiling:
        score = spec.ceiling
        notes.append(f"上限 {spec.ceiling:g}")
    return ItemScore(round(score, 4), round(raw, 4), tuple(notes))
