"""Position windows, `required` (plain and conditional) and `order` (before / after, within)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, run

A, C = "agent", "customer"
HELLO = "type: required\nkeywords: [您好]\nnegation: false\n"
HELLO_KW = "type: keyword\nkeywords: [您好]\n"
BYE_KW = "type: keyword\nkeywords: [再见]\n"
RISK = ("type: required\nkeywords: [投资有风险]\nwithin_utterances: 2\n"
        "trigger: {type: keyword, keywords: [理财产品]}\n")
VERIFY = "type: order\nevent: [您的余额]\nrequires: [核实身份, 本人吗]\n"
CONFIRM = "type: order\nevent: [办理]\nrequires: [确认]\nposition: after\nwithin_utterances: 2\n"


def located(condition: str, turns: list[Turn], tmp_path: Path) -> list[tuple[int, str] | None]:
    """(utterance index, evidence text) per finding; None for a finding about the whole call."""
    findings = run(load_rule(tmp_path, condition), turns)
    return [(f.evidence.utterance_index, f.evidence.text) if f.evidence else None
            for f in findings]


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(HELLO + "window: {first_utterances: 1}", [(C, "喂"), (A, "您好")], [],
                 id="first-utterance-of-role"),
    pytest.param(HELLO + "window: {first_utterances: 1, of: call}", [(C, "喂"), (A, "您好")],
                 [None], id="first-utterance-of-call"),
    pytest.param(HELLO + "window: {first_utterances: 1}", [(A, "喂"), (A, "您好")], [None],
                 id="second-agent-turn-too-late"),
    pytest.param(HELLO + "window: {first_utterances: 2}", [(A, "喂"), (A, "您好")], [],
                 id="first-two"),
    pytest.param(HELLO + "window: {last_utterances: 1}", [(A, "您好"), (A, "嗯")], [None],
                 id="last-utterance"),
    pytest.param(HELLO + "window: {last_utterances: 1, of: call}", [(A, "您好"), (C, "嗯")],
                 [None], id="last-utterance-of-call-is-customer"),
    pytest.param(HELLO_KW + "window: {first_seconds: 10}", [(A, "喂", 0, 1), (A, "您好", 8, 9)],
                 [(1, "您好")], id="first-seconds-inside"),
    pytest.param(HELLO_KW + "window: {first_seconds: 10}",
                 [(A, "喂", 0, 1), (A, "您好", 30, 32)], [], id="first-seconds-outside"),
    pytest.param(HELLO_KW + "window: {first_seconds: 10}",
                 [(C, "喂", 0, 20), (A, "工号八零", 25, 26), (A, "您好", 30, 31)],
                 [(2, "您好")], id="first-seconds-of-role-from-its-first-turn"),
    pytest.param(HELLO_KW + "window: {first_seconds: 10, of: call}",
                 [(C, "喂", 0, 20), (A, "工号八零", 25, 26), (A, "您好", 30, 31)], [],
                 id="first-seconds-of-call"),
    pytest.param(BYE_KW + "window: {last_seconds: 10}", [(A, "再见", 0, 2), (C, "好", 50, 60)],
                 [], id="last-seconds-outside"),
    pytest.param(BYE_KW + "window: {last_seconds: 10}", [(A, "再见", 52, 55), (C, "嗯", 56, 60)],
                 [(0, "再见")], id="last-seconds-inside"),
])
def test_window(tmp_path: Path, condition: str, turns: list[Turn],
                expected: list[tuple[int, str] | None]) -> None:
    assert located(condition, turns, tmp_path) == expected


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


def test_required_checks_every_trigger_not_only_the_first(tmp_path: Path) -> None:
    condition = ("type: required\nkeywords: [投资有风险]\nwithin_utterances: 1\n"
                 "trigger: {type: keyword, keywords: [理财产品]}")
    later_pitch = [(A, "这款理财产品不错，投资有风险"), (C, "嗯"), (A, "还有一款理财产品收益更高")]
    assert located(condition, later_pitch, tmp_path) == [(2, "理财产品")]
