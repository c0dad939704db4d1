"""The explicit registry covers exactly the condition modules it lists, and every module keeps
the convention: `TYPE`, `Model`, `check`, and a docstring whose YAML example validates."""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path
from types import ModuleType
from typing import get_args

import pytest
import yaml

from inspection.engine import CHECKS, CONDITION_MODULES, Condition, ConditionModel
from inspection.engine.registry import CONDITION_ADAPTER
from tests.inspection.engine.engine_builders import load_rule

ENGINE_DIR = Path(inspect.getfile(ConditionModel)).parent
MODULE_IDS = [module.__name__.rsplit(".", 1)[-1] for module in CONDITION_MODULES]


def condition_types() -> set[str]:
    union = get_args(Condition)[0]
    return {get_args(model.model_fields["type"].annotation)[0] for model in get_args(union)}


def docstring_example(module: ModuleType) -> str:
    """The indented block after the docstring's line ending in "::"."""
    doc = module.__doc__ or ""
    _, marker, rest = doc.partition("::\n")
    assert marker, f"{module.__name__}: no YAML example (a line ending in '::')"
    block = []
    for line in rest.splitlines()[1:] if rest.startswith("\n") else rest.splitlines():
        if line and not line.startswith("    "):
            break
        block.append(line)
    return textwrap.dedent("\n".join(block)).strip()


def test_checks_keys_equal_condition_type_literals() -> None:
    assert set(CHECKS) == condition_types()


def test_every_condition_module_is_registered() -> None:
    on_disk = {path.stem for path in (ENGINE_DIR / "conditions").glob("*.py")} - {"__init__"}
    assert on_disk == set(MODULE_IDS)


@pytest.mark.parametrize("module", CONDITION_MODULES, ids=MODULE_IDS)
def test_module_follows_the_convention(module: ModuleType) -> None:
    assert module.__name__.rsplit(".", 1)[-1].rstrip("_") == module.TYPE
    assert issubclass(module.Model, ConditionModel)
    assert get_args(module.Model.model_fields["type"].annotation) == (module.TYPE,)
    assert CHECKS[module.TYPE] is module.check


@pytest.mark.parametrize("module", CONDITION_MODULES, ids=MODULE_IDS)
def test_docstring_example_validates(module: ModuleType, tmp_path: Path) -> None:
    example = docstring_example(module)
    condition = CONDITION_ADAPTER.validate_python(yaml.safe_load(example))
    assert isinstance(condition, module.Model)
    rule = load_rule(tmp_path, example)  # as a whole rule, through the loader
    assert rule.condition.type == module.TYPE


def test_no_function_level_imports_in_the_engine() -> None:
    for path in ENGINE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                nested = [n for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)]
                assert not nested, f"{path.name}: import inside {node.name}()"
