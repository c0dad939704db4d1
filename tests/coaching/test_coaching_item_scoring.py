"""Scoring functions and the shipped templates reproduce the seeds' worked examples."""

from __future__ import annotations

import typing
from importlib import resources
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from coaching.errors import CoachingConfigError
from coaching.item_scoring import SCORING_FUNCTIONS, ScoringSpec, score_value
from coaching.template_model import list_templates, load_template

SPEC: TypeAdapter[ScoringSpec] = TypeAdapter(ScoringSpec)


def item_spec(template: str, metric: str) -> ScoringSpec:
    loaded = load_template(template)
    return next(item.scoring for item in loaded.items if item.metric == metric)


def test_registry_keys_equal_the_scoring_types() -> None:
    union = typing.get_args(typing.get_args(ScoringSpec)[0])
    types = {typing.get_args(model.model_fields["type"].annotation)[0] for model in union}
    assert set(SCORING_FUNCTIONS) == types


@pytest.mark.parametrize(
    ("mean", "expected", "raw"),
    [
        (4.5, 87.5, 87.5),  # seed 002: (4.5 − 1) / 4 × 100 = 87.5, no band
        (4.7, 97.5, 92.5),  # 92.5 ≥ 92 → +5
        (4.68, 97.0, 92.0),  # exactly 92 → +5
        (4.2, 80.0, 80.0),  # exactly 80: not below 80, no penalty
        (4.1, 72.5, 77.5),  # 77.5 < 80 → −5
        (1.0, -5.0, 0.0),
    ],
)
def test_seed_002_csat_base_plus_float(mean: float, expected: float, raw: float) -> None:
    scored = score_value(item_spec("eqgc_base_float", "csat_mean"), mean, "higher")
    assert scored.raw_score == pytest.approx(raw)
    assert scored.score == pytest.approx(expected)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (30.0, 100.0),  # baseline / actual × 100
        (25.0, 123.0),  # 120 + 3 (≤ 25 s)
        (24.0, 128.0),  # 125 + 3
        (32.0, 93.75),
        (40.0, 72.0),  # 75 − 3 (≥ 40 s)
        (60.0, 47.0),  # 50 − 3
    ],
)
def test_seed_002_response_time_base_plus_float(seconds: float, expected: float) -> None:
    spec = item_spec("eqgc_base_float", "first_response_seconds_mean")
    assert score_value(spec, seconds, "lower").score == pytest.approx(expected)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(20.0, 100.0), (25.0, 100.0), (30.0, 90.0), (35.0, 80.0), (39.0, 72.0), (40.0, 0.0)],
)
def test_seed_002_table_response_band(seconds: float, expected: float) -> None:
    # 表 1: ≤ 25 s 得 100 分，每增加 5 秒扣 10 分，≥ 40 s 0 分
    spec = item_spec("eqgc_table", "first_response_seconds_mean")
    assert score_value(spec, seconds, "lower").score == pytest.approx(expected)


@pytest.mark.parametrize(("mean", "expected"), [(4.8, 100.0), (4.5, 100.0), (4.3, 90.0), (4.0, 75.0)])
def test_seed_002_table_csat_band(mean: float, expected: float) -> None:
    # 表 1: 平均分 ≥ 4.5 得 100 分，每低 0.1 分扣 5 分
    spec = item_spec("eqgc_table", "csat_mean")
    assert score_value(spec, mean, "higher").score == pytest.approx(expected)


@pytest.mark.parametrize(
    ("raw_spec", "value", "direction", "expected"),
    [
        ({"type": "capped"}, 87.5, "higher", 87.5),
        ({"type": "capped"}, 120.0, "higher", 100.0),
        ({"type": "capped", "scale": 2.5}, 30.0, "higher", 75.0),
        ({"type": "capped", "offset": 100, "scale": -20}, 2.0, "lower", 60.0),
        ({"type": "capped", "offset": 100, "scale": -20}, 7.0, "lower", 0.0),
        (
            {"type": "threshold", "base": 85, "bands": [{"op": "ge", "threshold": 4.6, "points": 5}]},
            4.7,
            "higher",
            90.0,
        ),
        (
            {"type": "threshold", "base": 85, "bands": [{"op": "lt", "threshold": 4.0, "points": -5}]},
            3.9,
            "higher",
            80.0,
        ),
        ({"type": "baseline_ratio", "baseline": 80}, 88.0, "higher", 110.0),
        ({"type": "baseline_ratio", "baseline": 48, "ceiling": 100}, 24.0, "lower", 100.0),
        ({"type": "baseline_ratio", "baseline": 30}, 0.0, "lower", 100.0),
        ({"type": "linear_scale", "low": 7, "high": 1}, 3.0, "lower", pytest.approx(66.6667)),
        ({"type": "linear_band", "full_at": 0, "step": 0.5, "points_per_step": 10}, 1.5, "lower", 70.0),
        ({"type": "linear_band", "full_at": 0, "step": 0.5, "points_per_step": 10}, 9.0, "lower", 0.0),
    ],
)
def test_scoring_types(raw_spec: dict, value: float, direction: str, expected: float) -> None:
    spec = SPEC.validate_python(raw_spec)
    assert score_value(spec, value, direction).score == expected  # type: ignore[arg-type]


def test_every_shipped_template_loads_with_weights_summing_to_100() -> None:
    names = list_templates()
    assert {
        "finance",
        "ecommerce",
        "after_sales",
        "phone",
        "tech_support",
        "social_media",
        "eqgc_base_float",
        "eqgc_table",
    } <= set(names)
    for name in names:
        template = load_template(name)
        assert sum(item.weight for item in template.items) == pytest.approx(100.0)
        assert template.lowest_tier.min_total == 0


@pytest.mark.parametrize(
    ("template", "weights"),
    [
        (
            "finance",
            {
                "escalation_rate": 20,
                "csat_mean": 15,
                "fcr_rate": 20,
                "qa_score_mean": 30,
                "knowledge_test_score": 15,
            },
        ),
        (
            "ecommerce",
            {
                "conversion_rate": 20,
                "bad_review_intercept_rate": 15,
                "first_response_compliance_rate": 20,
                "tickets_handled": 15,
                "qa_score_mean": 15,
                "knowledge_test_score": 15,
            },
        ),
        (
            "after_sales",
            {
                "first_visit_fix_rate": 25,
                "customer_effort_score": 20,
                "first_response_seconds_mean": 20,
                "resolution_hours_mean": 15,
                "process_execution_score": 10,
                "diagnosis_skill_score": 10,
            },
        ),
        (
            "phone",
            {
                "first_response_seconds_mean": 40,
                "csat_mean": 30,
                "handle_seconds_mean": 15,
                "conversion_rate": 15,
            },
        ),
        (
            "tech_support",
            {
                "fcr_rate": 50,
                "kb_contributions": 20,
                "first_response_seconds_mean": 15,
                "tickets_handled": 15,
            },
        ),
        (
            "social_media",
            {
                "first_response_seconds_mean": 30,
                "brand_sentiment_score": 40,
                "interaction_conversion_rate": 30,
            },
        ),
    ],
)
def test_seed_weights(template: str, weights: dict[str, float]) -> None:
    loaded = load_template(template)
    assert {item.metric: item.weight for item in loaded.items} == weights


def test_seed_002_dimension_weights() -> None:
    for name in ("eqgc_base_float", "eqgc_table"):
        dims: dict[str, float] = {}
        for item in load_template(name).items:
            dims[item.dimension] = dims.get(item.dimension, 0) + item.weight
        assert dims == {"质量": 40, "效率": 30, "成长": 20, "协作": 10}


def test_seed_001_veto_rows() -> None:
    assert load_template("finance").veto.metrics[0].metric == "major_violation_count"
    assert load_template("ecommerce").veto.metrics[0].metric == "false_promise_count"
    assert load_template("after_sales").veto.metrics[0].metric == "safety_incident_count"


BASE = """\
name: custom
label: 自定义
source: test
tiers:
  - {name: A, label: 优秀, min_total: 90}
  - {name: D, label: 待改进, min_total: 0}
items:
"""


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (
            "  - {metric: csat_mean, label: x, dimension: q, weight: 60, scoring: {type: capped}}\n"
            "  - {metric: fcr_rate, label: y, dimension: q, weight: 30, scoring: {type: capped}}\n",
            "weights sum to 90%, not 100%",
        ),
        (
            "  - {metric: csat_mean, label: x, dimension: q, weight: 100, scoring: {type: magic}}\n",
            "items[0] (csat_mean).scoring",
        ),
        (
            "  - {metric: csat_mean, label: x, dimension: q, weight: 100, scoring: {type: capped},"
            " colour: red}\n",
            "items[0] (csat_mean).colour",
        ),
        (
            "  - {metric: nps, label: x, dimension: q, weight: 100, scoring: {type: capped}}\n",
            "items[0] (nps): metric is not in the metric dictionary",
        ),
        (
            "  - {metric: csat_mean, label: x, dimension: q, weight: 100,"
            " scoring: {type: linear_band, full_at: 4.5, step: 0, points_per_step: 5}}\n",
            "items[0] (csat_mean).scoring.step",
        ),
    ],
)
def test_bad_template_errors_name_file_and_item(tmp_path: Path, items: str, message: str) -> None:
    path = tmp_path / "custom.yaml"
    path.write_text(BASE + items, encoding="utf-8")
    with pytest.raises(CoachingConfigError) as caught:
        load_template(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_unknown_template_name_lists_the_known_ones() -> None:
    with pytest.raises(CoachingConfigError, match=r"known: .*finance"):
        load_template("nonexistent")


def test_shipped_templates_and_catalogue_are_package_data() -> None:
    """Found with importlib.resources, so an installed wheel finds them outside the checkout."""
    shipped = resources.files("coaching") / "templates"
    assert list_templates() == sorted(
        entry.name.removesuffix(".yaml") for entry in shipped.iterdir() if entry.name.endswith(".yaml")
    )
    catalogue = resources.files("coaching") / "catalog"
    assert (catalogue / "skills.yaml").is_file() and (catalogue / "metrics.yaml").is_file()


def test_a_template_name_is_looked_up_in_the_given_directory(tmp_path: Path) -> None:
    item = "  - {metric: csat_mean, label: x, dimension: q, weight: 100, scoring: {type: capped}}\n"
    (tmp_path / "custom.yaml").write_text(BASE + item, encoding="utf-8")
    assert list_templates(tmp_path) == ["custom"]
    assert load_template("custom", directory=tmp_path).items[0].metric == "csat_mean"
