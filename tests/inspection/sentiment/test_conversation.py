import pytest

from inspection.sentiment import conversation_sentiment
from inspection.types import SentimentResult

NEG = SentimentResult("negative", 0.05)
NEU = SentimentResult("neutral", 0.5)
POS = SentimentResult("positive", 0.95)


def test_de_escalated_call() -> None:
    roles = ["agent", "customer", "agent", "customer", "agent", "customer"]
    results = [NEU, NEG, NEU, NEU, POS, POS]
    summary = conversation_sentiment(roles, results)
    assert summary.customer_turns == 3
    assert summary.start == pytest.approx((0.05 + 0.5) / 2)
    assert summary.end == pytest.approx((0.5 + 0.95) / 2)
    assert summary.minimum == 0.05
    assert summary.minimum_index == 1
    assert summary.first_negative_index == 1
    assert summary.trend > 0
    assert summary.negative_at_start and not summary.negative_at_end
    assert summary.de_escalated


def test_unresolved_anger_ignores_agent_turns() -> None:
    roles = ["customer", "agent", "customer", "customer", "agent"]
    summary = conversation_sentiment(roles, [POS, POS, NEU, NEG, POS])
    assert summary.negative_at_end
    assert not summary.de_escalated
    assert summary.negative_turns == 1
    assert summary.trend < 0


def test_customer_never_speaks() -> None:
    summary = conversation_sentiment(["agent", "agent"], [POS, NEG])
    assert summary.customer_turns == 0
    assert summary.start is None and summary.end is None and summary.minimum is None
    assert summary.trend == 0.0
    assert not summary.de_escalated and not summary.negative_at_end


def test_single_negative_turn_is_not_de_escalated() -> None:
    summary = conversation_sentiment(["customer"], [NEG])
    assert summary.negative_at_start and summary.negative_at_end
    assert not summary.de_escalated


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="roles"):
        conversation_sentiment(["customer"], [NEG, POS])


def test_turns_not_analysed_are_left_out() -> None:
    """Agent turns may come without a result (the service analyses only what is read)."""
    roles = ["agent", "customer", "agent", "customer", "agent", "customer"]
    analysed = conversation_sentiment(roles, [NEU, NEG, NEU, NEU, POS, POS])
    assert conversation_sentiment(roles, [None, NEG, None, NEU, None, POS]) == analysed
    summary = conversation_sentiment(["customer", "customer"], [None, NEG])
    assert summary.customer_turns == 1 and summary.negative_at_end
