"""`Window`: restricts a check to the start or end of the call, by utterances or seconds."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from inspection.engine.base import Strict
from inspection.text import PreparedUtterance


class Window(Strict):
    """Exactly one bound: the first / last N utterances, or the first / last N seconds.

    `of: role` counts only the scoped role's utterances ("the agent's first turn"), and
    `first_seconds` counts from that role's first turn; `of: call` counts all utterances (from
    the call's first turn) and then keeps the scoped role's. `last_seconds` counts back from the
    end of the call either way.
    """

    first_utterances: int | None = Field(default=None, ge=1)
    last_utterances: int | None = Field(default=None, ge=1)
    first_seconds: float | None = Field(default=None, gt=0)
    last_seconds: float | None = Field(default=None, gt=0)
    of: Literal["role", "call"] = "role"

    @model_validator(mode="after")
    def _exactly_one_bound(self) -> Window:
        bounds = [self.first_utterances, self.last_utterances, self.first_seconds,
                  self.last_seconds]
        if sum(b is not None for b in bounds) != 1:
            raise ValueError("window needs exactly one of first_utterances, last_utterances, "
                             "first_seconds, last_seconds")
        return self

    def cut(self, utterances: tuple[PreparedUtterance, ...], duration: float
            ) -> tuple[PreparedUtterance, ...]:
        """The utterances (in call order) inside this window of a call lasting `duration`."""
        if self.first_utterances is not None:
            return utterances[: self.first_utterances]
        if self.last_utterances is not None:
            return utterances[-self.last_utterances:]
        if self.first_seconds is not None:
            origin = utterances[0].utterance.start if utterances else 0.0
            return tuple(u for u in utterances if u.utterance.start - origin <= self.first_seconds)
        assert self.last_seconds is not None
        return tuple(u for u in utterances if duration - u.utterance.end <= self.last_seconds)
