"""Scorecard templates (YAML in `coaching/templates/`): items, weights, scoring, tiers, veto."""

from __future__ import annotations

import itertools
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from coaching.dictionary import MetricDictionary, load_metric_dictionary
from coaching.errors import CoachingConfigError
from coaching.item_scoring import Comparison, ScoringSpec
from coaching.yamlio import load_yaml_model

TEMPLATE_DIR: Traversable = resources.files("coaching") / "templates"  # package data
WEIGHT_TOLERANCE = 1e-6


class Tier(BaseModel):
    """A result tier (档位): the agent's total must reach `min_total`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    label: str
    min_total: float


class VetoMetric(BaseModel):
    """A manual or computed metric that vetoes the period when it passes `threshold`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: str
    op: Comparison
    threshold: float


class VetoPolicy(BaseModel):
    """否决项: any of these puts the agent in the lowest tier whatever the total (seed 001)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    inspection_veto: bool = True
    rule_ids: tuple[str, ...] = ()
    metrics: tuple[VetoMetric, ...] = ()


class TemplateItem(BaseModel):
    """One weighted metric of the scorecard."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: str
    label: str
    dimension: str
    weight: float = Field(gt=0, le=100)
    scoring: ScoringSpec
    note: str | None = None


class ScorecardTemplate(BaseModel):
    """A role / industry scorecard. Weights are percentages and must sum to 100."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    source: str
    description: str = ""
    min_coverage: float = Field(default=50.0, ge=0, le=100)
    tiers: tuple[Tier, ...] = Field(min_length=1)
    veto: VetoPolicy = Field(default_factory=VetoPolicy)
    items: tuple[TemplateItem, ...] = Field(min_length=1)

    @field_validator("tiers")
    @classmethod
    def _tiers_descend(cls, tiers: tuple[Tier, ...]) -> tuple[Tier, ...]:
        minimums = [tier.min_total for tier in tiers]
        if any(a <= b for a, b in itertools.pairwise(minimums)):
            raise ValueError("tiers must be listed best first with strictly falling min_total")
        return tiers

    @model_validator(mode="after")
    def _weights_sum_to_100(self) -> ScorecardTemplate:
        metrics = [item.metric for item in self.items]
        if len(set(metrics)) != len(metrics):
            raise ValueError("a metric appears in more than one item")
        total = sum(item.weight for item in self.items)
        if abs(total - 100.0) > WEIGHT_TOLERANCE:
            raise ValueError(f"item weights sum to {total:g}%, not 100%")
        return self

    @property
    def lowest_tier(self) -> Tier:
        return self.tiers[-1]

    def tier_for(self, total: float) -> Tier:
        """The best tier whose `min_total` the total reaches; the lowest tier otherwise."""
        return next((tier for tier in self.tiers if total >= tier.min_total), self.lowest_tier)


def list_templates(directory: Traversable = TEMPLATE_DIR) -> list[str]:
    """Names of the shipped templates (file stems)."""
    return sorted(entry.name.removesuffix(".yaml") for entry in directory.iterdir()
                  if entry.name.endswith(".yaml") and entry.is_file())


def load_template(
    name_or_path: str | Path,
    dictionary: MetricDictionary | None = None,
    directory: Traversable = TEMPLATE_DIR,
) -> ScorecardTemplate:
    """Load a template by shipped name (`finance`) or by path; metrics must be in the dictionary."""
    path: Traversable = Path(name_or_path)
    if not Path(name_or_path).suffix:
        path = directory / f"{name_or_path}.yaml"
        if not path.is_file():
            known = ", ".join(list_templates(directory))
            raise CoachingConfigError(str(name_or_path), f"no such template (known: {known})")
    template = load_yaml_model(path, ScorecardTemplate)
    check_metrics_known(template, dictionary or load_metric_dictionary(), source=str(path))
    return template


def check_metrics_known(template: ScorecardTemplate, dictionary: MetricDictionary, *, source: str) -> None:
    """Every item and veto metric must be defined in the metric dictionary."""
    known = dictionary.names()
    for index, item in enumerate(template.items):
        if item.metric not in known:
            where = f"items[{index}] ({item.metric})"
            raise CoachingConfigError(source, "metric is not in the metric dictionary", where)
    for index, veto in enumerate(template.veto.metrics):
        if veto.metric not in known:
            where = f"veto.metrics[{index}] ({veto.metric})"
            raise CoachingConfigError(source, "metric is not in the metric dictionary", where)
