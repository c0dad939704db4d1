"""Conversation-level customer sentiment features, for the rules and for coaching.

Only customer turns count: the agent's tone is judged by rules, not by this summary, so the
agent's turns may come without a result (None: not analysed). Scores are P(positive) from the
per-utterance results; "start" and "end" average the first and last `window` customer turns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspection.types import SentimentResult

CUSTOMER = "customer"
DEFAULT_WINDOW = 2


@dataclass(frozen=True)
class ConversationSentiment:
    """How the customer felt across one conversation.

    `start`/`end`/`minimum` are P(positive) (None when the customer never spoke); `trend` is
    end − start; indexes are utterance positions in the whole conversation. `de_escalated`:
    the customer was negative in the opening window and is not negative in the last turn.
    """

    customer_turns: int
    start: float | None
    end: float | None
    minimum: float | None
    minimum_index: int | None
    trend: float
    negative_turns: int
    first_negative_index: int | None
    negative_at_start: bool
    negative_at_end: bool
    de_escalated: bool


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def conversation_sentiment(
    roles: Sequence[str],
    results: Sequence[SentimentResult | None],
    *,
    window: int = DEFAULT_WINDOW,
) -> ConversationSentiment:
    """Summarise per-utterance `results` (aligned with `roles`) over the customer's turns;
    a turn whose result is None was not analysed and is left out."""
    if len(roles) != len(results):
        raise ValueError(f"{len(roles)} roles but {len(results)} sentiment results")
    turns = [
        (index, result)
        for index, (role, result) in enumerate(zip(roles, results, strict=True))
        if role == CUSTOMER and result is not None
    ]
    scores = [result.score for _, result in turns]
    negatives = [index for index, result in turns if result.label == "negative"]
    opening, closing = turns[: max(1, window)], turns[-max(1, window) :]
    start = _mean([result.score for _, result in opening])
    end = _mean([result.score for _, result in closing])
    minimum_at = min(range(len(turns)), key=lambda position: scores[position]) if turns else None
    negative_at_start = any(result.label == "negative" for _, result in opening)
    negative_at_end = bool(turns) and turns[-1][1].label == "negative"
    return ConversationSentiment(
        customer_turns=len(turns),
        start=start,
        end=end,
        minimum=scores[minimum_at] if minimum_at is not None else None,
        minimum_index=turns[minimum_at][0] if minimum_at is not None else None,
        trend=round(end - start, 4) if start is not None and end is not None else 0.0,
        negative_turns=len(negatives),
        first_negative_index=negatives[0] if negatives else None,
        negative_at_start=negative_at_start,
        negative_at_end=negative_at_end,
        de_escalated=negative_at_start and not negative_at_end and len(turns) >= 2,
    )
