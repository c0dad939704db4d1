"""Warnings and anti-fraud reminders neutralise a match in their sentence (issue 16, class 2)."""

from __future__ import annotations

import pytest

from inspection.engine.frames import DEFAULT_FRAMES, compile_frames, in_frame
from tests.inspection.engine.phrase_helpers import found

SECRETS = ["验证码", "卡密", "密码", "报一下", "索要", "念一下"]
GUARANTEE = ["稳赚不赔", "保本"]


@pytest.mark.parametrize(("phrases", "text", "expected"), [
    pytest.param(SECRETS, "提醒您谨防冒充客服索要卡密", [], id="jin-fang-mao-chong"),
    pytest.param(GUARANTEE, "外面谁跟您讲稳赚不赔，您千万别信", [], id="frame-after-phrase"),
    pytest.param(SECRETS, "要是有人让您念一下验证码，那都是诈骗", [], id="ru-guo-you-ren"),
    pytest.param(SECRETS, "任何人问您要验证码都不要给", [], id="discontinuous-cue"),
    pytest.param(SECRETS, "您把验证码报一下", ["验证码", "报一下"], id="no-frame"),
    pytest.param(SECRETS, "我们不是骗子，您把验证码报一下。", ["验证码", "报一下"],
                 id="negated-cue-frames-nothing"),
    pytest.param(SECRETS, "小心诈骗。您把验证码报一下", ["验证码", "报一下"],
                 id="frame-in-other-sentence"),
    pytest.param(["骗子"], "你这个骗子", ["骗子"], id="phrase-is-no-frame-for-itself"),
])
def test_default_frames(phrases: list[str], text: str, expected: list[str]) -> None:
    assert found(phrases, text, negation=False, frames=True) == expected


def test_frames_off_by_default() -> None:
    assert found(GUARANTEE, "外面谁跟您讲稳赚不赔，您千万别信") == ["稳赚不赔"]


def test_frames_as_a_list() -> None:
    assert found(["投诉"], "要不是你态度还行我早就投诉了", frames=["要不是"]) == []
    assert found(["投诉"], "提醒您一下我要投诉", frames=["要不是"]) == ["投诉"]


def test_cue_with_gap() -> None:
    pattern = compile_frames(["任何人…都不要给"])
    assert pattern.search("任何人问您要都不要给")
    assert not pattern.search("任何人。都不要给")


def test_default_list_holds_the_issue_cues() -> None:
    issue_cues = {"提醒", "谨防", "小心", "警惕", "别信", "千万别", "要是有人", "如果有人", "骗子",
                  "诈骗", "冒充", "不会向您索要"}
    assert issue_cues <= set(DEFAULT_FRAMES)
    assert in_frame("骗子冒充的", 0, 2, compile_frames(DEFAULT_FRAMES))
