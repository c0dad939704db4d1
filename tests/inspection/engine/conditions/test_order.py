"""`order`: before / after, within N utterances, the anchor's role, negation."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, run, spans

A, C = "agent", "customer"
VERIFY = "type: order\nevent: [您的余额]\nrequires: [核实身份, 本人吗]\n"
CONFIRM = "type: order\nevent: [办理]\nrequires: [确认]\nposition: after\nwithin_utterances: 2\n"


def located(condition: str, turns: list[Turn], tmp_path: Path) -> list[tuple[int, str] | None]:
    return spans(run(load_rule(tmp_path, condition), turns))


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(VERIFY, [(A, "请问是您本人吗"), (C, "是"), (A, "您的余额是一千")], [],
                 id="anchor-before"),
    pytest.param(VERIFY, [(C, "查余额"), (A, "您的余额是一千")], [(1, "您的余额")],
                 id="anchor-missing"),
    pytest.param(VERIFY, [(A, "您的余额是一千"), (A, "请问是您本人吗")], [(0, "您的余额")],
                 id="anchor-after-event"),
    pytest.param(VERIFY, [(A, "核实身份通过，您的余额是一千")], [], id="same-utterance-before"),
    pytest.param(VERIFY, [(A, "您的余额是一千，麻烦核实身份")], [(0, "您的余额")],
                 id="same-utterance-after"),
    pytest.param(VERIFY + "within_utterances: 1",
                 [(A, "请问是您本人吗"), (C, "是"), (A, "您的余额是一千")], [(2, "您的余额")],
                 id="anchor-out-of-reach"),
    pytest.param(VERIFY, [(C, "我核实身份了"), (A, "您的余额是一千")], [],
                 id="anchor-by-any-role"),
    pytest.param(VERIFY + "requires_role: agent", [(C, "我核实身份了"), (A, "您的余额是一千")],
                 [(1, "您的余额")], id="anchor-by-agent-only"),
    pytest.param(VERIFY, [(A, "不能透露您的余额")], [], id="negated-event"),
    pytest.param(VERIFY, [(C, "您的余额是多少")], [], id="event-by-customer"),
    pytest.param(VERIFY, [(A, "您的余额是一千"), (A, "您的余额是两千")], [(0, "您的余额")],
                 id="first-violation-only"),
    pytest.param(CONFIRM, [(A, "帮您办理"), (A, "请确认")], [], id="after-satisfied"),
    pytest.param(CONFIRM, [(A, "帮您办理"), (A, "好的")], [(0, "办理")], id="after-missing"),
    pytest.param(CONFIRM, [(A, "帮您办理"), (A, "嗯"), (A, "嗯"), (A, "请确认")], [(0, "办理")],
                 id="after-out-of-reach"),
    pytest.param(CONFIRM, [(A, "请确认，帮您办理")], [(0, "办理")], id="after-same-utterance-before"),
    pytest.param(CONFIRM, [(A, "帮您办理，请确认")], [], id="after-same-utterance-after"),
])
def test_order(tmp_path: Path, condition: str, turns: list[Turn],
               expected: list[tuple[int, str] | None]) -> None:
    assert located(condition, turns, tmp_path) == expected
