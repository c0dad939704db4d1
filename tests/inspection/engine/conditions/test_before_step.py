"""`before_step`: event hits before the step is done; `answered_by` waits for the answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, run, spans

A, C = "agent", "customer"
STEP = """\
type: before_step
event: {type: proximity, a: [账单, 欠款], b: ["@amount"], max_distance: 4, negation: false}
step: {type: keyword, role: any, keywords: [身份证后四位, 核实身份]}
"""
ANSWERED = STEP + "answered_by: customer\n"


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(STEP, [(C, "查账单"), (A, "您本期账单三千五")], [(1, "账单三千五")],
                 id="no-step"),
    pytest.param(STEP, [(A, "请报一下身份证后四位"), (C, "1234"), (A, "您的账单三千五")], [],
                 id="step-before"),
    pytest.param(STEP, [(A, "您的账单三千五"), (A, "先核实身份")], [(0, "账单三千五")],
                 id="step-after"),
    pytest.param(STEP, [(A, "核实身份通过，账单三千五")], [], id="same-utterance-before"),
    pytest.param(STEP, [(A, "账单三千五，先核实身份")], [(0, "账单三千五")],
                 id="same-utterance-after"),
    pytest.param(STEP, [(A, "账单三千五"), (A, "欠款两千块"), (A, "核实身份")],
                 [(0, "账单三千五"), (1, "欠款两千块")], id="every-event-before"),
    pytest.param(ANSWERED, [(A, "请报一下身份证后四位"), (C, "1234"), (A, "您的账单三千五")], [],
                 id="answered"),
    pytest.param(ANSWERED, [(A, "请报一下身份证后四位，您的账单三千五"), (C, "1234")],
                 [(0, "账单三千五")], id="asked-not-yet-answered"),
    pytest.param(ANSWERED, [(A, "请报一下身份证后四位"), (A, "您的账单三千五"), (C, "1234")],
                 [(1, "账单三千五")], id="answer-comes-later"),
    pytest.param(ANSWERED, [(A, "我可以帮您核实身份"), (A, "您的账单三千五")],
                 [(1, "账单三千五")], id="never-answered"),
    pytest.param(ANSWERED, [(C, "我身份证后四位是1234"), (A, "您的账单三千五")], [],
                 id="customer-gives-it-unasked"),
    pytest.param(ANSWERED, [(A, "请问是王女士吗"), (C, "是我"), (A, "您的账单三千五")],
                 [(2, "账单三千五")], id="name-check-is-no-step"),
])
def test_before_step(tmp_path: Path, condition: str, turns: list[Turn],
                     expected: list[tuple[int, str] | None]) -> None:
    assert spans(run(load_rule(tmp_path, condition), turns)) == expected


def test_explanation_says_before_the_step(tmp_path: Path) -> None:
    [finding] = run(load_rule(tmp_path, STEP), [(A, "账单三千五")])
    assert finding.explanation.endswith("（在必要步骤之前）")
