"""`silence`: gaps between utterances, the hold phrase that excuses one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, indexes, load_rule, run

A, C = "agent", "customer"
SILENCE = "type: silence\nmin_seconds: 20\n"
HOLD = SILENCE + "unless_preceded_by: [请稍等, 我查一下]\n"


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(SILENCE, [(A, "好的", 0, 2), (A, "查到了", 30, 32)], [0], id="long-gap"),
    pytest.param(SILENCE, [(A, "好的", 0, 2), (A, "查到了", 12, 14)], [], id="short-gap"),
    pytest.param(SILENCE, [(A, "好的", 0, 2), (A, "查到了", 22, 24)], [], id="gap-equal-to-limit"),
    pytest.param(SILENCE, [(C, "你说", 0, 40), (A, "嗯", 10, 11), (A, "好", 45, 46)], [],
                 id="overlapping-long-turn-is-not-silence"),
    pytest.param(HOLD, [(A, "请稍等", 0, 2), (A, "查到了", 40, 42)], [], id="hold-announced"),
    pytest.param(HOLD, [(A, "好，我查一下", 0, 2), (A, "查到了", 40, 42)], [],
                 id="hold-announced-other-phrase"),
    pytest.param(HOLD, [(C, "请稍等", 0, 2), (A, "好", 40, 42)], [0],
                 id="customer-asked-to-wait"),
    pytest.param(HOLD, [(A, "请稍等", 0, 1), (A, "查到了", 5, 6), (C, "然后呢", 7, 8),
                        (A, "您的额度已调整", 40, 42)], [2], id="hold-used-up-by-later-turn"),
    pytest.param(HOLD, [(A, "不用请稍等", 0, 2), (A, "好", 40, 42)], [0],
                 id="negated-hold-phrase"),
    pytest.param(SILENCE, [(A, "好的", 0, 2), (A, "嗯", 30, 31), (A, "好", 60, 61)], [0, 1],
                 id="each-gap"),
])
def test_silence(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int]) -> None:
    assert indexes(run(load_rule(tmp_path, condition), turns, channel="voice")) == expected
