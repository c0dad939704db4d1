"""`required`: plain and conditional (keyword or sentiment trigger, `within_utterances`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, locations, run, spans

A, C = "agent", "customer"
HELLO = "type: required\nkeywords: [您好]\nnegation: false\n"
RISK = ("type: required\nkeywords: [投资有风险]\nwithin_utterances: 2\n"
        "trigger: {type: keyword, keywords: [理财产品]}\n")


def located(condition: str, turns: list[Turn], tmp_path: Path) -> list[tuple[int, str] | None]:
    return spans(run(load_rule(tmp_path, condition), turns))


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(HELLO, [(A, "喂")], [None], id="missing"),
    pytest.param(HELLO, [(A, "喂"), (A, "您好")], [], id="present"),
    pytest.param(HELLO, [(C, "您好"), (A, "喂")], [None], id="customer-said-it"),
    pytest.param("type: required\nkeywords: [录音]", [(A, "本次通话没有录音")], [None],
                 id="negated-does-not-count"),
    pytest.param(RISK, [(A, "推荐这款理财产品"), (C, "好"), (A, "投资有风险")], [],
                 id="trigger-then-phrase"),
    pytest.param(RISK, [(A, "推荐这款理财产品"), (C, "好"), (A, "嗯"), (A, "投资有风险")],
                 [(0, "理财产品")], id="phrase-too-late"),
    pytest.param(RISK, [(A, "这款理财产品投资有风险")], [], id="same-utterance"),
    pytest.param(RISK, [(A, "您好"), (C, "嗯")], [], id="no-trigger"),
    pytest.param(RISK, [(A, "推荐这款理财产品"), (C, "投资有风险吧")], [(0, "理财产品")],
                 id="customer-said-the-phrase"),
    pytest.param(RISK, [(A, "投资有风险"), (C, "嗯"), (A, "推荐这款理财产品")], [(2, "理财产品")],
                 id="phrase-must-follow"),
    pytest.param(RISK.replace("within_utterances: 2\n", ""),
                 [(A, "推荐这款理财产品"), (C, "嗯"), (A, "嗯"), (A, "嗯"), (A, "投资有风险")], [],
                 id="no-limit"),
    pytest.param(RISK, [(A, "这不是理财产品，是存款")], [], id="negated-trigger"),
])
def test_required(tmp_path: Path, condition: str, turns: list[Turn],
                  expected: list[tuple[int, str] | None]) -> None:
    assert located(condition, turns, tmp_path) == expected


def test_required_checks_every_trigger_not_only_the_first(tmp_path: Path) -> None:
    condition = ("type: required\nkeywords: [投资有风险]\nwithin_utterances: 1\n"
                 "trigger: {type: keyword, keywords: [理财产品]}")
    later_pitch = [(A, "这款理财产品不错，投资有风险"), (C, "嗯"), (A, "还有一款理财产品收益更高")]
    assert located(condition, later_pitch, tmp_path) == [(2, "理财产品")]


def test_required_triggered_by_sentiment(tmp_path: Path) -> None:
    condition = ("type: required\nkeywords: [抱歉]\nwithin_utterances: 2\n"
                 "trigger: {type: sentiment, max_score: 0.25, role: customer}")
    rule = load_rule(tmp_path, condition)
    assert locations(run(rule, [(C, "太差了"), (A, "请稍等")], scores=[0.1, 0.5])) == [0]
    assert run(rule, [(C, "太差了"), (A, "抱歉"), (C, "算了")], scores=[0.1, 0.5, 0.1]) == []
