"""The wheel built from pyproject.toml carries its data: `zhijian inspect` runs from it outside
the checkout (rule packs, templates, the sentiment model, dictionaries found as package data)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGES = ("zhijian", "inspection", "coaching", "api", "models", "rules")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built without network (this environment's setuptools) and unpacked: what
    `pip install` puts in site-packages, minus the dependencies this environment already has."""
    source, dist = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    for name in ("pyproject.toml", "README.md", *PACKAGES):  # a copy: builds write build/
        copy = shutil.copytree if (REPO_ROOT / name).is_dir() else shutil.copy
        copy(REPO_ROOT / name, source / name, **_ignore(copy))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(dist), str(source)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("zhijian-*.whl")
    site = tmp_path_factory.mktemp("site")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def _ignore(copy: object) -> dict[str, object]:
    if copy is shutil.copytree:
        return {"ignore": shutil.ignore_patterns("__pycache__", "*.pyc")}
    return {}


def run_from_wheel(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONSAFEPATH": "1"}
    probe = "import zhijian, sys; print(zhijian.__file__, file=sys.stderr)"
    code = f"{probe}\nfrom zhijian.cli import main\nraise SystemExit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, text=True,
                          capture_output=True, timeout=600)


def test_the_wheel_holds_the_data_the_code_loads(installed_wheel: Path) -> None:
    names = {p.relative_to(installed_wheel).as_posix() for p in installed_wheel.rglob("*")}
    assert {"rules/finance.yaml", "rules/service.yaml", "coaching/templates/finance.yaml",
            "inspection/data/user_dict.txt"} <= names
    assert any(name.endswith(".safetensors") for name in names), "sentiment weights missing"
    assert not any(name.startswith("tests/") for name in names)


def test_zhijian_inspect_runs_from_the_wheel_outside_the_checkout(
    installed_wheel: Path, examples_dir: Path, tmp_path: Path
) -> None:
    done = run_from_wheel(installed_wheel, tmp_path, "inspect", str(examples_dir),
                          "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0].startswith(str(installed_wheel))  # not the checkout
    records = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert records["c-20261101-0002"]["pending_veto_rule_ids"] == ["fin.guaranteed_return"]
    assert len(records) >= 6
