"""The committed demo month (`examples/demo/`) loaded once per test session, as `make run`
loads it (SQLite, the sentiment model on), and copied for each test module that reads it, so
tests/api/test_demo_month.py and tests/pages/test_first_hour.py pay for one load.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from api.demo import DemoLoaded, load_demo
from api.settings import Settings

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def demo_settings(data_dir: Path, **overrides: object) -> Settings:
    """The service's settings over `data_dir` (make run's: SQLite there, sentiment on)."""
    fields = {"database_url": f"sqlite:///{data_dir / 'zhijian.db'}", **overrides}
    return Settings(data_dir=data_dir, **fields)  # type: ignore[arg-type]


@functools.cache
def _first_load() -> tuple[Path, DemoLoaded]:
    root = Path(tempfile.mkdtemp(prefix="zhijian-demo-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root, load_demo(demo_settings(root), DEMO)


def first_load() -> DemoLoaded:
    """What the first load of the session did (its tokens belong to the first copy only)."""
    return _first_load()[1]


def loaded_copy(target: Path) -> Settings:
    """A copy of the loaded database and audio under `target` (a fresh directory), and its
    settings. The stored audio paths point into the first load's directory, which lives as
    long as the session."""
    source, _ = _first_load()
    shutil.copytree(source, target, dirs_exist_ok=True)
    return demo_settings(target)
