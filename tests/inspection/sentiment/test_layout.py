"""The runtime half of `inspection.sentiment` never reaches into `training`, and finds the weights
as package data."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import resources
from pathlib import Path

import inspection.sentiment
from inspection.sentiment import DEFAULT_MODEL_DIR

TRAINING = "inspection.sentiment.training"
RUNTIME_MODULES = sorted(Path(inspection.sentiment.__file__).parent.glob("*.py"))


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_runtime_module_imports_training() -> None:
    assert {path.stem for path in RUNTIME_MODULES} >= {"__init__", "classifier", "cli", "default"}
    for path in RUNTIME_MODULES:
        reaching = {name for name in _imported_modules(path) if name.startswith(TRAINING)}
        assert not reaching, f"{path.name} imports {reaching}"


def test_loading_the_runtime_modules_leaves_training_unloaded() -> None:
    code = (
        "import sys, inspection.sentiment.cli, inspection.sentiment.default;"
        f"print(sorted(m for m in sys.modules if m.startswith({TRAINING!r})))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


def test_embedded_weights_are_package_data() -> None:
    weights = resources.files("inspection.sentiment") / "model"
    assert Path(str(weights)) == DEFAULT_MODEL_DIR
    assert (weights / "config.json").is_file() and (weights / "model.safetensors").is_file()
