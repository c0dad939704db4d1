"""The explicit registry: every condition type's module, listed once in `CONDITION_MODULES`.

From that list come the discriminated `Condition` union (chosen by `type`), the `CHECKS` table
(`type` → check function) and the `model_rebuild` that gives the composite models (`all`,
`any`, `not`, `required`'s trigger) the union their nested conditions are validated with.
Adding a condition type: one module under `conditions/` (see its package docstring) and one
line below.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping
from types import ModuleType
from typing import Annotated, Any, get_args

from pydantic import Field, TypeAdapter

from inspection.engine.base import ConditionModel
from inspection.engine.conditions import (
    all_,
    any_,
    before_step,
    keyword,
    not_,
    order,
    overtalk,
    proximity,
    regex,
    required,
    response_latency,
    sentiment,
    silence,
    similar,
    speech_rate,
)
from inspection.engine.context import Check

CONDITION_MODULES: tuple[ModuleType, ...] = (
    keyword,
    regex,
    proximity,
    required,
    order,
    before_step,
    silence,
    overtalk,
    response_latency,
    speech_rate,
    sentiment,
    similar,
    all_,
    any_,
    not_,
)


def _model(module: ModuleType) -> type[ConditionModel]:
    """The module's `Model`, checked against its `TYPE` so a slip fails at import, not later."""
    model: type[ConditionModel] = module.Model
    if get_args(model.model_fields["type"].annotation) != (module.TYPE,):
        raise TypeError(f"{module.__name__}: Model.type is not Literal[{module.TYPE!r}]")
    return model


MODELS: tuple[type[ConditionModel], ...] = tuple(_model(module) for module in CONDITION_MODULES)

# The union of every model, chosen by `type`; built from the list, so typed `Any` here.
Condition: Any = Annotated[functools.reduce(operator.or_, MODELS), Field(discriminator="type")]

CHECKS: Mapping[str, Check] = {module.TYPE: module.check for module in CONDITION_MODULES}

for _model_class in MODELS:  # a no-op for the models without nested conditions
    _model_class.model_rebuild(_types_namespace={"Condition": Condition})

CONDITION_ADAPTER: TypeAdapter[ConditionModel] = TypeAdapter(Condition)
