"""`window`: first / last utterances or seconds, of the role or of the call."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, load_rule, run, spans

A, C = "agent", "customer"
HELLO = "type: required\nkeywords: [您好]\nnegation: false\n"
HELLO_KW = "type: keyword\nkeywords: [您好]\n"
BYE_KW = "type: keyword\nkeywords: [再见]\n"


def located(condition: str, turns: list[Turn], tmp_path: Path) -> list[tuple[int, str] | None]:
    return spans(run(load_rule(tmp_path, condition), turns))


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
