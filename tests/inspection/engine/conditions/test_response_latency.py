"""`response_latency`: the customer's wait for a reply, `first_only`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, indexes, load_rule, run

A, C = "agent", "customer"
LATENCY = "type: response_latency\nmax_seconds: 30\n"


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (A, "在的", 45, 45)], [1], id="slow"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (A, "在的", 30, 30)], [], id="equal-to-limit"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (A, "在的", 10, 10)], [], id="quick"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (C, "有人吗", 20, 20), (A, "在的", 40, 40)], [2],
                 id="measured-from-first-unanswered-message"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (A, "在", 5, 5), (C, "便宜点", 10, 10),
                           (A, "不行", 100, 100)], [3], id="every-reply"),
    pytest.param(LATENCY + "first_only: true", [(C, "在吗", 0, 0), (A, "在", 5, 5),
                                                (C, "便宜点", 10, 10), (A, "不行", 100, 100)],
                 [], id="first-only-quick-first"),
    pytest.param(LATENCY + "first_only: true", [(A, "您好", 0, 0), (C, "在吗", 5, 5),
                                                (A, "在", 60, 60)], [2],
                 id="first-only-after-agent-greeting"),
    pytest.param(LATENCY, [(A, "您好", 0, 0), (A, "请问在吗", 500, 500)], [],
                 id="agent-only"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0)], [], id="never-answered"),
])
def test_response_latency(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int]
                          ) -> None:
    assert indexes(run(load_rule(tmp_path, condition), turns, channel="chat")) == expected
