"""`not`: one hit about the whole call when the part does not hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, locations, run

A = "agent"
SORRY = "{type: keyword, keywords: [抱歉]}"
PROMISE = "{type: keyword, keywords: [保本]}"
NOT = f"type: not\ncondition: {SORRY}"
NOT_ALL = f"type: not\ncondition: {{type: all, conditions: [{SORRY}, {PROMISE}]}}"


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(NOT, [(A, "好的")], [None], id="not-holds"),
    pytest.param(NOT, [(A, "抱歉")], [], id="not-fails"),
    pytest.param(NOT_ALL, [(A, "抱歉")], [None], id="not-all-partial"),
    pytest.param(NOT_ALL, [(A, "抱歉"), (A, "保本")], [], id="not-all-both"),
])
def test_not(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int | None]
             ) -> None:
    assert locations(run(load_rule(tmp_path, condition), turns)) == expected
