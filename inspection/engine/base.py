"""The bases of every rule-file model: `Strict` (unknown keys are errors) and `ConditionModel`.

`ConditionModel` is what every condition type's model derives from. Besides its own fields it
answers two questions about itself, so nothing outside walks its pydantic fields:
`subconditions()` (the conditions nested in it) and `sentiment_roles(rule_role)` (whose
sentiment it reads).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

from inspection.types import ROLES, Role

RoleScope = Literal["agent", "customer", "any"]

ALL_ROLES: frozenset[Role] = frozenset(ROLES)


def scope_roles(scope: RoleScope) -> frozenset[Role]:
    """The roles a scope covers: `any` means every role."""
    return ALL_ROLES if scope == "any" else frozenset({scope})


class Strict(BaseModel):
    """Base for every rule-file model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ConditionModel(Strict):
    """Base of every condition type's model; `type` is narrowed to a `Literal` by each."""

    type: str

    def subconditions(self) -> tuple[ConditionModel, ...]:
        """The conditions nested directly in this one (parts, triggers); none by default."""
        return ()

    def walk(self) -> Iterator[ConditionModel]:
        """This condition, then every condition nested in it, depth first."""
        yield self
        for part in self.subconditions():
            yield from part.walk()

    def sentiment_roles(self, rule_role: RoleScope) -> frozenset[Role]:
        """The roles whose sentiment this condition reads, nested conditions included, when it
        sits in a rule whose role is `rule_role`. Only `sentiment` reads any itself."""
        return frozenset().union(*(part.sentiment_roles(rule_role)
                                   for part in self.subconditions()))
