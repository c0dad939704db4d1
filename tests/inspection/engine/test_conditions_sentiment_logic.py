"""`sentiment` (any / last), boolean composition (`all` / `any` / `not`) and `applies_when`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, run

A, C = "agent", "customer"
ANGRY = "type: sentiment\nmax_score: 0.25\n"
STILL_ANGRY = ANGRY + "position: last\n"
SORRY = "{type: keyword, keywords: [抱歉]}"
PROMISE = "{type: keyword, keywords: [保本]}"
ALL = f"type: all\nconditions: [{SORRY}, {PROMISE}]"
ANY = f"type: any\nconditions: [{SORRY}, {PROMISE}]"
NOT = f"type: not\ncondition: {SORRY}"
NOT_ALL = f"type: not\ncondition: {{type: all, conditions: [{SORRY}, {PROMISE}]}}"
THREE = [(C, "太差了"), (A, "抱歉"), (C, "算了")]


def located(condition: str, turns: list[Turn], tmp_path: Path, **options: Any
            ) -> list[int | None]:
    findings = run(load_rule(tmp_path, condition), turns, **options)
    return [f.evidence.utterance_index if f.evidence else None for f in findings]


@pytest.mark.parametrize(("condition", "scores", "expected"), [
    pytest.param(ANGRY, [0.1, 0.5, 0.9], [0], id="any-negative"),
    pytest.param(ANGRY, [0.6, 0.5, 0.9], [], id="any-none-negative"),
    pytest.param(ANGRY, [0.25, 0.1, 0.9], [0], id="any-equal-to-threshold"),
    pytest.param(ANGRY, [0.6, 0.05, 0.9], [], id="agent-negative-does-not-count"),
    pytest.param(ANGRY, None, [], id="no-sentiment-stage"),
    pytest.param(STILL_ANGRY, [0.1, 0.5, 0.1], [2], id="last-negative"),
    pytest.param(STILL_ANGRY, [0.1, 0.5, 0.9], [], id="last-calm"),
    pytest.param(STILL_ANGRY + "count: 2", [0.1, 0.5, 0.1], [0, 2], id="last-two-negative"),
    pytest.param(STILL_ANGRY + "count: 2", [0.9, 0.5, 0.1], [], id="last-two-one-calm"),
    pytest.param(STILL_ANGRY + "count: 3", [0.1, 0.5, 0.1], [], id="fewer-turns-than-count"),
    pytest.param(ANGRY + "role: agent", [0.9, 0.1, 0.9], [1], id="agent-role"),
])
def test_sentiment(tmp_path: Path, condition: str, scores: list[float] | None,
                   expected: list[int | None]) -> None:
    role = "agent" if "agent" in condition else "customer"
    findings = run(load_rule(tmp_path, condition.replace("role: agent", ""), role=role), THREE,
                   scores=scores)
    assert [f.evidence.utterance_index for f in findings if f.evidence] == expected


@pytest.mark.parametrize(("role", "expected"), [("customer", [0]), ("agent", [])])
def test_nested_sentiment_role(tmp_path: Path, role: str, expected: list[int]) -> None:
    condition = f"type: any\nconditions: [{{type: sentiment, max_score: 0.25, role: {role}}}]"
    findings = run(load_rule(tmp_path, condition), THREE, scores=[0.1, 0.5, 0.9])
    assert [f.evidence.utterance_index for f in findings if f.evidence] == expected


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(ALL, [(A, "抱歉"), (A, "这个保本")], [0, 1], id="all-both"),
    pytest.param(ALL, [(A, "抱歉")], [], id="all-one-missing"),
    pytest.param(ANY, [(A, "这个保本")], [0], id="any-second"),
    pytest.param(ANY, [(A, "抱歉，这个保本")], [0], id="any-first-wins"),
    pytest.param(ANY, [(A, "好的")], [], id="any-none"),
    pytest.param(NOT, [(A, "好的")], [None], id="not-holds"),
    pytest.param(NOT, [(A, "抱歉")], [], id="not-fails"),
    pytest.param(NOT_ALL, [(A, "抱歉")], [None], id="not-all-partial"),
    pytest.param(NOT_ALL, [(A, "抱歉"), (A, "保本")], [], id="not-all-both"),
    pytest.param(f"type: all\nconditions: [{SORRY}, {{type: not, condition: {PROMISE}}}]",
                 [(A, "抱歉")], [0], id="all-keeps-located-hits"),
])
def test_logic(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int | None]
               ) -> None:
    assert located(condition, turns, tmp_path) == expected


def test_required_triggered_by_sentiment(tmp_path: Path) -> None:
    condition = ("type: required\nkeywords: [抱歉]\nwithin_utterances: 2\n"
                 "trigger: {type: sentiment, max_score: 0.25, role: customer}")
    rule = load_rule(tmp_path, condition)
    assert located(condition, [(C, "太差了"), (A, "请稍等")], tmp_path, scores=[0.1, 0.5]) == [0]
    assert run(rule, THREE, scores=[0.1, 0.5, 0.1]) == []


APPLIES = "type: keyword\nkeywords: [保本]\napplies_when: {applies}\n"


@pytest.mark.parametrize(("applies", "options", "fires"), [
    pytest.param("{direction: outbound}", {"direction": "outbound"}, True, id="direction"),
    pytest.param("{direction: outbound}", {"direction": "inbound"}, False, id="direction-other"),
    pytest.param("{channel: voice}", {"channel": "chat"}, False, id="channel"),
    pytest.param("{industry: [finance]}", {"industry": "finance"}, True, id="industry"),
    pytest.param("{industry: [finance]}", {}, False, id="industry-missing"),
    pytest.param("{metadata: {call_type: [sales]}}", {"metadata": {"call_type": "sales"}}, True,
                 id="metadata"),
    pytest.param("{metadata: {call_type: [sales]}}", {"metadata": {"call_type": "x"}}, False,
                 id="metadata-other"),
    pytest.param("{match: any, direction: outbound, metadata: {call_type: [sales]}}",
                 {"metadata": {"call_type": "sales"}}, True, id="match-any"),
    pytest.param("{direction: outbound, metadata: {call_type: [sales]}}",
                 {"metadata": {"call_type": "sales"}}, False, id="match-all"),
    pytest.param("{metadata_not: {ivr_recording_notice: true}}",
                 {"metadata": {"ivr_recording_notice": True}}, False, id="metadata-not"),
    pytest.param("{condition: {type: keyword, role: customer, keywords: [理财]}}", {}, True,
                 id="condition-holds"),
    pytest.param("{condition: {type: keyword, role: customer, keywords: [基金]}}", {}, False,
                 id="condition-fails"),
])
def test_applies_when(tmp_path: Path, applies: str, options: dict[str, Any], fires: bool
                      ) -> None:
    rule = load_rule(tmp_path, APPLIES.format(applies=applies))
    assert bool(run(rule, [(C, "我想买理财"), (A, "这个保本")], **options)) is fires


def test_all_in_the_same_utterance(tmp_path: Path) -> None:
    condition = ("type: all\nsame_utterance: true\nconditions:\n"
                 "  - {type: sentiment, role: customer, max_score: 0.25}\n"
                 "  - {type: keyword, role: customer, keywords: [太过分]}")
    apart = [(C, "什么时候发货"), (C, "太过分了")]
    assert located(condition, apart, tmp_path, scores=[0.1, 0.6]) == []
    together = [(C, "什么时候发货"), (C, "太过分了")]
    assert located(condition, together, tmp_path, scores=[0.1, 0.1]) == [1]
