"""`regex` (exclusion, normalised text, timeout) and `proximity` (chars, tokens, either order)."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspection.errors import RuleConfigError
from tests.inspection.engine.engine_builders import Turn, evidence_texts, load_rule, run

A, C = "agent", "customer"
HOTLINE = r"type: regex" + "\n" + r"pattern: '(?<![0-9])(12378|12315|315)(?![0-9])'"
COMPLAINT = "type: regex\npattern: 投诉\nexclude: 不投诉|投诉电话"
SECRET = "type: proximity\na: [验证码, 密码]\nb: [报一下, 告诉我]\nmax_distance: {distance}\n"


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


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(SECRET.format(distance=4), [(A, "请把验证码报一下")], ["验证码报一下"],
                 id="adjacent"),
    pytest.param(SECRET.format(distance=4), [(A, "报一下验证码")], ["报一下验证码"],
                 id="either-order"),
    pytest.param(SECRET.format(distance=2), [(A, "验证码快快报一下")], ["验证码快快报一下"],
                 id="distance-equal-to-max"),
    pytest.param(SECRET.format(distance=2), [(A, "验证码快快快报一下")], [],
                 id="distance-over-max"),
    pytest.param(SECRET.format(distance=8), [(A, "验证码"), (A, "报一下")], [],
                 id="separate-utterances"),
    pytest.param(SECRET.format(distance=8), [(A, "验证码已发送")], [], id="only-a"),
    pytest.param(SECRET.format(distance=8), [(A, "请不要把验证码报一下给别人")], [],
                 id="negated"),
    pytest.param(SECRET.format(distance=8), [(C, "我把验证码报一下吧")], [],
                 id="customer-words"),
    pytest.param(SECRET.format(distance=8), [(A, "密码验证码都报一下")], ["密码验证码都报一下"],
                 id="span-from-first-a-within-reach"),
    pytest.param(SECRET.format(distance=1) + "unit: tokens", [(A, "验证码您现在报一下")], [],
                 id="tokens-over-max"),
    pytest.param(SECRET.format(distance=2) + "unit: tokens", [(A, "验证码您现在报一下")],
                 ["验证码您现在报一下"], id="tokens-within"),
    pytest.param(SECRET.format(distance=0) + "unit: tokens", [(A, "验证码报一下")],
                 ["验证码报一下"], id="tokens-adjacent"),
    pytest.param(SECRET.format(distance=8), [(A, "这个验正码报一下")], ["验正码报一下"],
                 id="pinyin-on-voice"),
])
def test_proximity(tmp_path: Path, condition: str, turns: list[Turn], expected: list[str]
                   ) -> None:
    channel = "voice" if "验正码" in turns[0][1] else "chat"
    findings = run(load_rule(tmp_path, condition), turns, channel=channel)
    assert evidence_texts(findings) == expected
