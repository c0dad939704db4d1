"""`proximity`: chars and tokens, either order, negation, role, pinyin."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, evidence_texts, load_rule, run

A, C = "agent", "customer"
SECRET = "type: proximity\na: [验证码, 密码]\nb: [报一下, 告诉我]\nmax_distance: {distance}\n"


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
