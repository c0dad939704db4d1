"""The metric dictionary (指标字典): every metric's name, label, formula, direction and source."""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from coaching.yamlio import load_yaml_model

CATALOG_DIR: Traversable = resources.files("coaching") / "catalog"  # package data
Direction = Literal["higher", "lower"]
Source = Literal["tickets", "conversations", "sentiment", "manual"]


class MetricDefinition(BaseModel):
    """One metric: what it measures, how it is computed, and which way is better."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    definition: str
    numerator: str | None = None
    denominator: str | None = None
    window: str | None = None
    direction: Direction
    source: Source
    unit: str
    target: float | None = None
    skill: str | None = None
    range: tuple[float, float | None] | None = None  # manual input: [low, high]; high null: none

    def valid_range(self) -> tuple[float, float | None]:
        """What a manually entered value may be: `range` when given, else by unit (a
        percentage or a score 0–100, a count or an amount ≥ 0)."""
        if self.range is not None:
            return self.range
        return (0.0, 100.0) if self.unit in ("%", "分") else (0.0, None)

    def better(self, value: float, reference: float) -> bool:
        """True when `value` is strictly better than `reference` in this metric's direction."""
        return value > reference if self.direction == "higher" else value < reference


class MetricDictionary(BaseModel):
    """All metric definitions, in display order; names are unique."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metrics: tuple[MetricDefinition, ...]

    @field_validator("metrics")
    @classmethod
    def _unique_names(cls, metrics: tuple[MetricDefinition, ...]) -> tuple[MetricDefinition, ...]:
        seen: set[str] = set()
        for metric in metrics:
            if metric.name in seen:
                raise ValueError(f"metric {metric.name!r} is defined twice")
            seen.add(metric.name)
        return metrics

    def get(self, name: str) -> MetricDefinition:
        for metric in self.metrics:
            if metric.name == name:
                return metric
        raise KeyError(name)

    def names(self) -> set[str]:
        return {metric.name for metric in self.metrics}


@cache
def load_metric_dictionary(path: Traversable = CATALOG_DIR / "metrics.yaml") -> MetricDictionary:
    """Load (once per path) and validate the metric dictionary."""
    return load_yaml_model(path, MetricDictionary)
