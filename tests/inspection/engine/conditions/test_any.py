"""`any`: the first part that holds gives the hits."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, locations, run

A = "agent"
SORRY = "{type: keyword, keywords: [抱歉]}"
PROMISE = "{type: keyword, keywords: [保本]}"
ANY = f"type: any\nconditions: [{SORRY}, {PROMISE}]"


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(ANY, [(A, "这个保本")], [0], id="any-second"),
    pytest.param(ANY, [(A, "抱歉，这个保本")], [0], id="any-first-wins"),
    pytest.param(ANY, [(A, "好的")], [], id="any-none"),
])
def test_any(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int | None]
             ) -> None:
    assert locations(run(load_rule(tmp_path, condition), turns)) == expected
