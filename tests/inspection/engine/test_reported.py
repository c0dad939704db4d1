"""Reported and quoted speech, and questions (issue 16, class 3)."""

from __future__ import annotations

import pytest

from tests.inspection.engine.phrase_helpers import found

GUARANTEE = ["稳赚", "稳赚不赔", "保收益", "保本", "亏不了"]
INSULT = ["神经病", "我不是说了吗"]


@pytest.mark.parametrize(("phrases", "text", "expected"), [
    pytest.param(GUARANTEE, "您说的稳赚是指预期收益吧", [], id="customer-restated"),
    pytest.param(GUARANTEE, "您刚才说保本，那是存款", [], id="gang-cai-shuo"),
    pytest.param(GUARANTEE, "您朋友推荐的那个保收益的产品我们这里没有", [], id="friend"),
    pytest.param(GUARANTEE, "您同事说的稳赚不赔，这个说法不准确", [], id="colleague"),
    pytest.param(GUARANTEE, "网上说的保本理财都是假的", [], id="internet"),
    pytest.param(GUARANTEE, "外面谁跟您讲稳赚不赔", [], id="someone-outside"),
    pytest.param(INSULT, "您是说配送员骂您神经病是吧", [], id="shi-shuo-shi-ba"),
    pytest.param(INSULT, "您是说上次的同事跟您讲我不是说了吗", [], id="colleague-quoted"),
    # The agent's own side is the agent's assurance, not reported speech.
    pytest.param(GUARANTEE, "我们行长开会都说了这一款亏不了", ["亏不了"], id="own-side"),
    pytest.param(GUARANTEE, "放心，这个是保本的", ["保本"], id="assertion"),
    # Questions: a yes/no cue before, or a question ending after.
    pytest.param(GUARANTEE, "这个产品保本吗您放心保本的", ["保本"], id="asked-then-asserted"),
    pytest.param(GUARANTEE, "您是不是担心保本", [], id="shi-bu-shi"),
])
def test_ignore_questions(phrases: list[str], text: str, expected: list[str]) -> None:
    assert found(phrases, text, ignore_questions=True) == expected


def test_ignore_reported_keeps_rhetorical_questions() -> None:
    assert found(["听不懂"], "你听不懂吗", ignore_reported=True) == ["听不懂"]
    assert found(["听不懂"], "你听不懂吗", ignore_questions=True) == []
    assert found(["我不是说了吗"], "您是说同事跟您讲我不是说了吗", ignore_reported=True) == []
