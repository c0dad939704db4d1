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
    """Shows the windows decoded on a bar: as its count, or (`as_postfix`) after another count."""

    def __init__(self, bar: tqdm, *, as_postfix: bool = False) -> None:
        super().__init__(logging.INFO)
        self.bar = bar
        self.as_postfix = as_postfix

    def emit(self, record: logging.LogRecord) -> None:
        done, total = getattr(record, "windows_done", None), getattr(record, "windows_total", None)
        if not (isinstance(done, int) and isinstance(total, int)):
            return
        if self.as_postfix:
            self.bar.set_postfix_str(f"转写 {done}/{total} 窗口")
            return
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()


@contextmanager
def follow_windows(bar: tqdm, *, as_postfix: bool = False) -> Iterator[logging.Handler]:
    """Inside the `with` block, the windows decoded in this process update `bar`."""
    handler = _BarHandler(bar, as_postfix=as_postfix)
    level = PROGRESS_LOGGER.level
    PROGRESS_LOGGER.addHandler(handler)
    if PROGRESS_LOGGER.getEffectiveLevel() > logging.INFO:
        PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        PROGRESS_LOGGER.removeHandler(handler)
        PROGRESS_LOGGER.setLevel(level)


@contextmanager
def show_progress(path: Path) -> Iterator[None]:
    """A progress bar on stderr for the transcription of `path` inside the `with` block."""
    bar = tqdm(desc=f"转写 {path.name}", unit="窗口", file=sys.stderr, disable=None, leave=False)
    with bar, follow_windows(bar):
        yield
