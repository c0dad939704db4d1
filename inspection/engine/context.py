"""`CheckContext`: what every check receives, the prepared conversation and the rule's scope.

The context also carries the check table, so a composite condition (`all`, `any`, `not`,
`required`'s trigger) runs its parts with `context.evaluate(part)` without importing the
registry that imports it. `embeddings` is the conversation's sentence-vector cache, shared by
every rule of one conversation (the runner passes the same one); it computes nothing until a
`similar` condition asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from inspection.embeddings import ConversationEmbeddings, default_embedder
from inspection.engine.base import ConditionModel, RoleScope
from inspection.engine.hits import Hit
from inspection.engine.window import Window
from inspection.text import PreparedConversation, PreparedUtterance

# A condition type's check: its condition model and the context in, the hits out.
Check = Callable[[Any, "CheckContext"], Iterator[Hit]]


@dataclass(frozen=True)
class CheckContext:
    """`role`: the rule's role, the scope of every condition that names none itself.
    `checks`: the check function of every condition type (the registry's `CHECKS`)."""

    prepared: PreparedConversation
    role: RoleScope
    checks: Mapping[str, Check]
    embeddings: ConversationEmbeddings = field(
        default_factory=lambda: ConversationEmbeddings(default_embedder()))

    def evaluate(self, condition: ConditionModel) -> Iterator[Hit]:
        """The hits of one condition, of any type, in this context."""
        return self.checks[condition.type](condition, self)

    def scoped(self, role: RoleScope | None = None, window: Window | None = None
               ) -> tuple[PreparedUtterance, ...]:
        """The utterances a check looks at: the role's (default: the rule's), cut to the
        window."""
        role = role or self.role
        if window is None:
            return self.prepared.by_role(role)
        base = self.prepared.by_role(role) if window.of == "role" else self.prepared.utterances
        cut = window.cut(base, self.prepared.conversation.duration)
        return tuple(u for u in cut if role == "any" or u.role == role)
