"""zhijian's model cache: where models assembled or trained on the user's machine live."""

from __future__ import annotations

import os
from pathlib import Path


def model_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/zhijian/models`` (default ``~/.cache/zhijian/models``), read each call
    so a changed environment (tests, a second user) is seen."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "zhijian" / "models"
