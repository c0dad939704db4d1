"""`silence`: gaps between utterances, the hold phrase that excuses one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.inspection.engine.engine_builders import Turn, indexes, load_rule, run

A, C = "agent", "customer"
SILENCE = "type: silence\nmin_seconds: 20\n"
HOLD = SILENCE + "unless_preceded_by: [请稍等, 我查一下]\n"
CUSTOMER = HOLD + "unless_customer_asked: [稍等, 等我一下, 我找一下, 我去拿]\nnegation: false\n"


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
    # Silence the customer asked for is the customer's (issue 16, class 7).
    pytest.param(CUSTOMER, [(A, "请报一下卡号", 0, 2), (C, "稍等啊我去拿一下银行卡", 3, 5),
                            (C, "拿到了", 40, 42)], [], id="customer-asked"),
    pytest.param(CUSTOMER, [(A, "请报一下订单号", 0, 2), (C, "你等我一下我找一下", 3, 5),
                            (A, "好的不着急", 6, 7), (C, "找到了", 40, 42)], [],
                 id="agent-agreed-to-wait"),
    pytest.param(CUSTOMER, [(C, "你等我一下", 0, 2),
                            (A, "好的那我先给您讲一下这个产品的收益情况", 3, 7),
                            (A, "讲完了", 40, 42)], [1], id="agent-moved-on"),
    pytest.param(CUSTOMER, [(C, "帮我查一下积分", 0, 2), (A, "好的", 3, 4),
                            (A, "两千分", 40, 42)], [1], id="customer-asked-the-agent-to-work"),
    pytest.param(HOLD, [(C, "稍等啊我去拿一下银行卡", 0, 2), (C, "拿到了", 40, 42)], [0],
                 id="attribution-off-without-the-list"),
])
def test_silence(tmp_path: Path, condition: str, turns: list[Turn], expected: list[int]) -> None:
    assert indexes(run(load_rule(tmp_path, condition), turns, channel="voice")) == expected
