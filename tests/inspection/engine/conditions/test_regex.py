"""`regex`: exclusion, normalised text, role and window, `max_hits`, timeout."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspection.errors import RuleConfigError
from tests.inspection.engine.engine_builders import Turn, evidence_texts, load_rule, run

A, C = "agent", "customer"
HOTLINE = r"type: regex" + "\n" + r"pattern: '(?<![0-9])(12378|12315|315)(?![0-9])'"
COMPLAINT = "type: regex\npattern: 投诉\nexclude: 不投诉|投诉电话"


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(HOTLINE, [(A, "您可以拨打12378")], ["12378"], id="hit"),
    pytest.param(HOTLINE, [(A, "您这个月还了3150元")], [], id="digits-around-miss"),
    pytest.param(HOTLINE, [(A, "我要上315曝光")], ["315"], id="hit-in-chinese"),
    pytest.param(COMPLAINT, [(A, "我要投诉你们")], ["投诉"], id="exclude-not-matching"),
    pytest.param(COMPLAINT, [(A, "我不投诉，就是问问")], [], id="exclude-skips-utterance"),
    pytest.param(COMPLAINT, [(A, "投诉电话是多少"), (A, "我要投诉")], ["投诉"],
                 id="exclude-per-utterance"),
    pytest.param("type: regex\npattern: 'usb|sb'", [(A, "请插入USB线")], ["usb"],
                 id="runs-on-lower-case-text"),
    pytest.param("type: regex\npattern: '保本。'", [(A, "保本！")], ["保本。"],
                 id="runs-on-normalised-punctuation"),
    pytest.param("type: regex\npattern: 投诉", [(C, "我要投诉")], [], id="role-scoped"),
    pytest.param("type: any\nconditions: [{type: regex, pattern: 投诉, role: customer}]",
                 [(C, "我要投诉")], ["投诉"], id="condition-role"),
    pytest.param("type: regex\npattern: 投诉\nwindow: {last_utterances: 1}",
                 [(A, "投诉"), (A, "好的")], [], id="window"),
])
def test_regex(tmp_path: Path, condition: str, turns: list[Turn], expected: list[str]) -> None:
    assert evidence_texts(run(load_rule(tmp_path, condition), turns)) == expected


def test_regex_max_hits_caps_hits(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, "type: regex\npattern: 投诉\nmax_hits: 1")
    assert len(run(rule, [(A, "投诉"), (A, "投诉")])) == 1


def test_catastrophic_regex_times_out_with_an_error_naming_the_rule(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, "type: regex\npattern: '(保|保保)+$'")
    with pytest.raises(RuleConfigError) as caught:
        run(rule, [(A, "好的"), (A, "保" * 40 + "！")])
    message = str(caught.value)
    assert "test.rule" in message and "test.yaml" in message
    assert "超过" in message and "第 1 句" in message
    assert caught.value.rule_id == "test.rule"
