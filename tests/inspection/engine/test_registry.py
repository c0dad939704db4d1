"""The explicit registry covers exactly the condition types of the `Condition` union."""

from __future__ import annotations

from typing import get_args

from inspection.engine import CHECKS, Condition


def condition_types() -> set[str]:
    union = get_args(Condition)[0]
    return {get_args(model.model_fields["type"].annotation)[0] for model in get_args(union)}


def test_checks_keys_equal_condition_type_literals() -> None:
    assert set(CHECKS) == condition_types()

