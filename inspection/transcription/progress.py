"""Progress of a transcription, as log records; the command line shows them as a bar.

The core has no screen: the packed decoder reports each batch of windows it has decoded on the
`inspection.transcription.progress` logger (INFO, with `windows_done` / `windows_total` in the
record), which the service's logs keep. `show_progress(path)` turns those records into a bar on
stderr while one file is transcribed (only on a terminal: tqdm's own rule).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tqdm import tqdm

PROGRESS_LOGGER = logging.getLogger("inspection.transcription.progress")


def report_windows(done: int, total: int) -> None:
    """`done` of `total` windows of the current pass decoded."""
    PROGRESS_LOGGER.info("已解码 %d / %d 个窗口", done, total,
                         extra={"windows_done": done, "windows_total": total})


class _BarHandler(logging.Handler):
    def __init__(self, bar: tqdm) -> None:
        super().__init__(logging.INFO)
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        done, total = getattr(record, "windows_done", None), getattr(record, "windows_total", None)
        if isinstance(done, int) and isinstance(total, int):
            self.bar.total = total
            self.bar.n = done
            self.bar.refresh()


@contextmanager
def show_progress(path: Path) -> Iterator[None]:
    """A progress bar on stderr for the transcription of `path` inside the `with` block."""
    bar = tqdm(desc=f"转写 {path.name}", unit="窗口", file=sys.stderr, disable=None, leave=False)
    handler = _BarHandler(bar)
    level = PROGRESS_LOGGER.level
    PROGRESS_LOGGER.addHandler(handler)
    if PROGRESS_LOGGER.getEffectiveLevel() > logging.INFO:
        PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        yield
    finally:
        PROGRESS_LOGGER.removeHandler(handler)
        PROGRESS_LOGGER.setLevel(level)
        bar.close()
