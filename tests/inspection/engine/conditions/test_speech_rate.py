"""`speech_rate`: agent characters per second on voice calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, indexes, load_rule, run

A, C = "agent", "customer"
RATE = "type: speech_rate\nmax_chars_per_second: 5\n"
FAST = "一二三四五六七八九十一二三四五六七八九十"  # 20 characters


@pytest.mark.parametrize(("turns", "channel", "expected"), [
    pytest.param([(A, FAST, 0, 2)], "voice", [], id="too-short-to-judge"),
    pytest.param([(A, FAST, 0, 3)], "voice", [0], id="fast"),
    pytest.param([(A, FAST, 0, 4)], "voice", [], id="at-limit"),
    pytest.param([(A, FAST, 0, 3)], "chat", [], id="chat-has-no-speech-rate"),
    pytest.param([(C, FAST, 0, 3)], "voice", [], id="customer"),
    pytest.param([(A, "，".join(FAST[:14]), 0, 3)], "voice", [],
                 id="punctuation-not-counted"),
])
def test_speech_rate(tmp_path: Path, turns: list[Turn], channel: str, expected: list[int]
                     ) -> None:
    rule = load_rule(tmp_path, RATE + "min_seconds: 2.5")
    assert indexes(run(rule, turns, channel=channel)) == expected
