"""`overtalk`: the agent starting before the customer has finished, `min_count`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, indexes, load_rule, run

A, C = "agent", "customer"
OVERTALK = "type: overtalk\nmin_overlap_seconds: 1\n"


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(OVERTALK, [(C, "我想问一下手续费", 0, 5), (A, "每期零点六", 3, 6)], [1],
                 id="overlap"),
    pytest.param(OVERTALK, [(C, "我想问一下手续费", 0, 5), (A, "每期零点六", 4, 6)], [1],
                 id="overlap-equal-to-minimum"),
    pytest.param(OVERTALK, [(C, "我想问一下手续费", 0, 5), (A, "每期零点六", 4.5, 6)], [],
                 id="overlap-too-short"),
    pytest.param(OVERTALK, [(C, "我想问一下手续费", 0, 5), (A, "每期零点六", 5.5, 7)], [],
                 id="no-overlap"),
    pytest.param(OVERTALK, [(A, "每期零点六", 0, 5), (C, "那违约金呢", 3, 6)], [],
                 id="customer-interrupts-agent"),
    pytest.param(OVERTALK + "min_count: 2", [(C, "我想问一下", 0, 5), (A, "说", 3, 4)], [],
                 id="below-min-count"),
    pytest.param(OVERTALK + "min_count: 2",
                 [(C, "我想问一下", 0, 5), (A, "说", 3, 4), (C, "那违约金", 6, 10), (A, "要收", 8, 9)],
                 [1, 3], id="min-count-reached"),
])
def test_overtalk(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int]) -> None:
    assert indexes(run(load_rule(tmp_path, condition), turns, channel="voice")) == expected
