"""`sentiment`: any / last utterances at or below the threshold, the role it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import indexes, load_rule, run

A, C = "agent", "customer"
ANGRY = "type: sentiment\nmax_score: 0.25\n"
STILL_ANGRY = ANGRY + "position: last\n"
THREE = [(C, "太差了"), (A, "抱歉"), (C, "算了")]


@pytest.mark.parametrize(("condition", "scores", "expected"), [
    pytest.param(ANGRY, [0.1, 0.5, 0.9], [0], id="any-negative"),
    pytest.param(ANGRY, [0.6, 0.5, 0.9], [], id="any-none-negative"),
    pytest.param(ANGRY, [0.25, 0.1, 0.9], [0], id="any-equal-to-threshold"),
    pytest.param(ANGRY, [0.6, 0.05, 0.9], [], id="agent-negative-does-not-count"),
    pytest.param(ANGRY, None, [], id="no-sentiment-stage"),
    pytest.param(STILL_ANGRY, [0.1, 0.5, 0.1], [2], id="last-negative"),
    pytest.param(STILL_ANGRY, [0.1, 0.5, 0.9], [], id="last-calm"),
    pytest.param(STILL_ANGRY + "count: 2", [0.1, 0.5, 0.1], [0, 2], id="last-two-negative"),
    pytest.param(STILL_ANGRY + "count: 2", [0.9, 0.5, 0.1], [], id="last-two-one-calm"),
    pytest.param(STILL_ANGRY + "count: 3", [0.1, 0.5, 0.1], [], id="fewer-turns-than-count"),
    pytest.param(ANGRY + "role: agent", [0.9, 0.1, 0.9], [1], id="agent-role"),
])
def test_sentiment(tmp_path: Path, condition: str, scores: list[float] | None,
                   expected: list[int | None]) -> None:
    role = "agent" if "agent" in condition else "customer"
    findings = run(load_rule(tmp_path, condition.replace("role: agent", ""), role=role), THREE,
                   scores=scores)
    assert indexes(findings) == expected


@pytest.mark.parametrize(("role", "expected"), [("customer", [0]), ("agent", [])])
def test_nested_sentiment_role(tmp_path: Path, role: str, expected: list[int]) -> None:
    condition = f"type: any\nconditions: [{{type: sentiment, max_score: 0.25, role: {role}}}]"
    findings = run(load_rule(tmp_path, condition), THREE, scores=[0.1, 0.5, 0.9])
    assert indexes(findings) == expected
