"""`all`: every part holds; located hits; `same_utterance`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, locations, run

A, C = "agent", "customer"
SORRY = "{type: keyword, keywords: [抱歉]}"
PROMISE = "{type: keyword, keywords: [保本]}"
ALL = f"type: all\nconditions: [{SORRY}, {PROMISE}]"


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(ALL, [(A, "抱歉"), (A, "这个保本")], [0, 1], id="all-both"),
    pytest.param(ALL, [(A, "抱歉")], [], id="all-one-missing"),
    pytest.param(f"type: all\nconditions: [{SORRY}, {{type: not, condition: {PROMISE}}}]",
                 [(A, "抱歉")], [0], id="all-keeps-located-hits"),
])
def test_all(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int | None]
             ) -> None:
    assert locations(run(load_rule(tmp_path, condition), turns)) == expected


def test_all_in_the_same_utterance(tmp_path: Path) -> None:
    condition = ("type: all\nsame_utterance: true\nconditions:\n"
                 "  - {type: sentiment, role: customer, max_score: 0.25}\n"
                 "  - {type: keyword, role: customer, keywords: [太过分]}")
    apart = [(C, "什么时候发货"), (C, "太过分了")]
    rule = load_rule(tmp_path, condition)
    assert locations(run(rule, apart, scores=[0.1, 0.6])) == []
    together = [(C, "什么时候发货"), (C, "太过分了")]
    assert locations(run(rule, together, scores=[0.1, 0.1])) == [1]
