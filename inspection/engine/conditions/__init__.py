"""One module per condition type, named after it (`all_`, `any_`, `not_` where the type is a
Python builtin or keyword).

Each module exports `TYPE` (the YAML `type`), `Model` (its pydantic model, derived from
`inspection.engine.base.ConditionModel`), `check(condition, context) -> Iterator[Hit]`, and a
docstring stating the exact semantics with a YAML example (`Example::` and an indented block).
`inspection.engine.registry` lists the modules; adding a type is one module and one line there.
"""
