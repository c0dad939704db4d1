"""Timing conditions: `silence` (hold phrase), `overtalk`, `response_latency`, `speech_rate`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, run

A, C = "agent", "customer"
SILENCE = "type: silence\nmin_seconds: 20\n"
HOLD = SILENCE + "unless_preceded_by: [请稍等, 我查一下]\n"
OVERTALK = "type: overtalk\nmin_overlap_seconds: 1\n"
LATENCY = "type: response_latency\nmax_seconds: 30\n"
RATE = "type: speech_rate\nmax_chars_per_second: 5\n"
FAST = "一二三四五六七八九十一二三四五六七八九十"  # 20 characters


def indexes(condition: str, turns: list[Turn], tmp_path: Path, channel: str = "voice"
            ) -> list[int]:
    """The utterance index of each finding."""
    findings = run(load_rule(tmp_path, condition), turns, channel=channel)
    return [f.evidence.utterance_index for f in findings if f.evidence is not None]


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
    assert indexes(condition, turns, tmp_path) == expected


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(OVERTALK, [(C, "我想问一下手续费", 0, 5), (A, "每期零点六", 3, 6)], [1],
                 id="overlap"),
    pytest.param(OVERTALK, [(C, "我想问一下手续费", 0, 5), (A, "每期零点六", 4, 6)], [1],
                 id="overlap-equal-to-minimum"),
    pytest.param(OVERTALK, [(C, "我想问一下手续费", 0, 5), (A, "每期零点六", 4.5, 6)], [],
                 id="overlap-too-short"),
    pytest.param(OVERTALK, [(C, "我想问一下手续费", 0, 5), (A, "每期零点六", 5.5, 7)], [],
                 id="no-overlap"),
    pytest.param(OVERTALK, [(A, "每期零点六", 0, 5), (C, "那违约金呢", 3, 6)], [],
                 id="customer-interrupts-agent"),
    pytest.param(OVERTALK + "min_count: 2", [(C, "我想问一下", 0, 5), (A, "说", 3, 4)], [],
                 id="below-min-count"),
    pytest.param(OVERTALK + "min_count: 2",
                 [(C, "我想问一下", 0, 5), (A, "说", 3, 4), (C, "那违约金", 6, 10), (A, "要收", 8, 9)],
                 [1, 3], id="min-count-reached"),
])
def test_overtalk(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int]) -> None:
    assert indexes(condition, turns, tmp_path) == expected


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (A, "在的", 45, 45)], [1], id="slow"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (A, "在的", 30, 30)], [], id="equal-to-limit"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (A, "在的", 10, 10)], [], id="quick"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (C, "有人吗", 20, 20), (A, "在的", 40, 40)], [2],
                 id="measured-from-first-unanswered-message"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0), (A, "在", 5, 5), (C, "便宜点", 10, 10),
                           (A, "不行", 100, 100)], [3], id="every-reply"),
    pytest.param(LATENCY + "first_only: true", [(C, "在吗", 0, 0), (A, "在", 5, 5),
                                                (C, "便宜点", 10, 10), (A, "不行", 100, 100)],
                 [], id="first-only-quick-first"),
    pytest.param(LATENCY + "first_only: true", [(A, "您好", 0, 0), (C, "在吗", 5, 5),
                                                (A, "在", 60, 60)], [2],
                 id="first-only-after-agent-greeting"),
    pytest.param(LATENCY, [(A, "您好", 0, 0), (A, "请问在吗", 500, 500)], [],
                 id="agent-only"),
    pytest.param(LATENCY, [(C, "在吗", 0, 0)], [], id="never-answered"),
])
def test_response_latency(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int]
                          ) -> None:
    assert indexes(condition, turns, tmp_path, channel="chat") == expected


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
    assert indexes(RATE + "min_seconds: 2.5", turns, tmp_path, channel) == expected
