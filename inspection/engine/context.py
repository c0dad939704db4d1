"""What every check receives (the prepared conversation and the rule's scope) and yields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inspection.text import PreparedConversation, PreparedUtterance

RoleScope = Literal["agent", "customer", "any"]


class Strict(BaseModel):
    """Base for every rule-file model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Window(Strict):
    """Restricts a check to the start or end of the call, counted by utterances or seconds.

    `of: role` counts only the scoped role's utterances ("the agent's first turn");
    `of: call` counts all utterances and then keeps the scoped role's.
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


@dataclass(frozen=True)
class Hit:
    """One place where a condition holds. `utterance_index` None: about the whole call."""

    explanation: str
    utterance_index: int | None = None
    start: int = 0
    end: int = 0
    text: str = ""


@dataclass(frozen=True)
class CheckContext:
    prepared: PreparedConversation
    role: RoleScope

    def scoped(self, role: RoleScope | None = None, window: Window | None = None
               ) -> tuple[PreparedUtterance, ...]:
        """The utterances a check looks at: the role's, cut to the window."""
        role = role or self.role
        if window is None:
            return self.prepared.by_role(role)
        base = self.prepared.by_role(role) if window.of == "role" else self.prepared.utterances
        cut = _apply_window(base, window, self.prepared.conversation.duration)
        return tuple(u for u in cut if role == "any" or u.role == role)


def _apply_window(utterances: tuple[PreparedUtterance, ...], window: Window, duration: float
                  ) -> tuple[PreparedUtterance, ...]:
    if window.first_utterances is not None:
        return utterances[: window.first_utterances]
    if window.last_utterances is not None:
        return utterances[-window.last_utterances:]
    if window.first_seconds is not None:
        origin = utterances[0].utterance.start if utterances else 0.0
        return tuple(u for u in utterances if u.utterance.start - origin <= window.first_seconds)
    assert window.last_seconds is not None
    return tuple(u for u in utterances if duration - u.utterance.end <= window.last_seconds)


def first_hits(hits: Iterable[Hit], limit: int = 50) -> list[Hit]:
    out: list[Hit] = []
    for hit in hits:
        out.append(hit)
        if len(out) >= limit:
            break
    return out
