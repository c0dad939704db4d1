"""A day's files through the pipeline: in this process, or in N worker processes each with its
own `Pipeline`, results streamed as they finish, and a resume log for interrupted batches.

    items = [BatchItem(path, recording=…) for path in files]
    for outcome in run_items(items, settings=settings, jobs=4):   # as each file finishes
        …

Contracts:
- A file is one unit of work. A bad file (or a conversation a rule cannot check) comes back as
  an error naming it; the batch goes on. A worker process that dies takes only its own files.
- Output is written by the calling process only, one whole line per conversation, flushed.
  `ResumeLog` reads the ids already in an output file (first cutting off a last line that a
  kill left incomplete), so that `run_items(…, done=…)` leaves them out; it then appends.
  Running an interrupted batch again with the same log writes every conversation exactly once.
- With `jobs > 1`, each worker's models run single-threaded (one process per core is what
  calls per CPU-hour measure best; `docs/transcription.md`, Throughput).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, replace
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any

from inspection.errors import ZhijianError
from inspection.output import format_table, to_json_line
from inspection.pipeline import Pipeline, PipelineResult, PipelineSettings, is_audio
from inspection.recording_metadata import RecordingMetadata
from inspection.types import InspectionResult

logger = logging.getLogger(__name__)

_worker_pipeline: Pipeline | None = None  # one per worker process, built by `_start_worker`
_worker_done: frozenset[str] = frozenset()  # the ids to skip, given to each worker once


@dataclass(frozen=True)
class BatchItem:
    """One file to inspect, and a recording's sidecar/CSV fields."""

    path: Path
    recording: RecordingMetadata | None = None

    @property
    def expected_id(self) -> str | None:
        """A recording's conversation id before it is transcribed (None for conversation files)."""
        if not is_audio(self.path):
            return None
        return (self.recording.id if self.recording and self.recording.id else None) or self.path.stem


@dataclass(frozen=True)
class Verdict:
    """One inspected conversation, rendered in both output formats."""

    conversation_id: str
    json_line: str
    table: str
    result: InspectionResult
    audio_seconds: float = 0.0


@dataclass(frozen=True)
class ItemOutcome:
    """What came of one file: its verdicts, its errors, and the conversations skipped."""

    path: Path
    verdicts: tuple[Verdict, ...] = ()
    errors: tuple[str, ...] = ()
    skipped: int = 0


def inspect_item(pipeline: Pipeline, item: BatchItem, done: frozenset[str] = frozenset()) -> ItemOutcome:
    """Every conversation of one file through `pipeline`, less those whose id is in `done` (a
    recording is not even transcribed when its expected id is)."""
    expected = item.expected_id
    if expected is not None and expected in done:
        return ItemOutcome(item.path, skipped=1)
    try:
        if expected is not None:
            inspected = pipeline.inspect_audio(item.path, recording=item.recording)
            return ItemOutcome(item.path, (_verdict(inspected),))
        conversations = pipeline.load_file(item.path)
    except ZhijianError as error:  # unreadable file, unusable audio
        return ItemOutcome(item.path, errors=(f"错误: {error}",))
    verdicts, errors, skipped = [], [], 0
    for conversation in conversations:
        if conversation.id in done:
            skipped += 1
            continue
        try:
            verdicts.append(_verdict(pipeline.inspect_conversation(conversation)))
        except ZhijianError as error:  # e.g. a rule's regex timed out on this text
            errors.append(f"错误: {item.path}: {conversation.id}: {error}")
    return ItemOutcome(item.path, tuple(verdicts), tuple(errors), skipped)


def _verdict(item: PipelineResult) -> Verdict:
    conversation = item.conversation
    return Verdict(conversation.id, to_json_line(conversation, item.result),
                   format_table(conversation, item.result), item.result,
                   float(conversation.metadata.get("audio_duration_s", 0.0) or 0.0))


def run_items(items: Iterable[BatchItem], *, settings: PipelineSettings, jobs: int = 1,
              pipeline: Pipeline | None = None, done: frozenset[str] = frozenset()
              ) -> Iterator[ItemOutcome]:
    """Inspect every item but the conversations in `done`; yields each file's outcome as it
    finishes (in order when `jobs` is 1, with `pipeline` or one built from `settings`)."""
    items = list(items)
    if jobs <= 1:
        pipeline = pipeline or Pipeline.from_settings(settings)
        for item in items:
            yield inspect_item(pipeline, item, done)
        return
    yield from _in_processes(items, single_threaded(settings), jobs, done)


def single_threaded(settings: PipelineSettings) -> PipelineSettings:
    """`settings` with one thread per model (unless set): one worker process per core."""
    transcriber: Mapping[str, Any] = {"cpu_threads": 1, **settings.transcriber}
    return replace(settings, sentiment_threads=settings.sentiment_threads or 1, transcriber=transcriber)


def _in_processes(items: list[BatchItem], settings: PipelineSettings, jobs: int,
                  done: frozenset[str]) -> Iterator[ItemOutcome]:
    # spawn, not fork: a forked copy of a process whose libraries run thread pools can deadlock
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=_start_worker,
                             initargs=(settings, done)) as pool:
        running: dict[Future[ItemOutcome], BatchItem] = {pool.submit(_inspect_in_worker, item): item
                                                         for item in items}
        while running:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                item = running.pop(future)
                try:
                    yield future.result()
                except Exception as error:  # a worker died or raised: only its file is lost
                    yield ItemOutcome(item.path, errors=(f"错误: {item.path}: {error!r}",))


def _start_worker(settings: PipelineSettings, done: frozenset[str]) -> None:
    global _worker_pipeline, _worker_done
    _worker_pipeline, _worker_done = Pipeline.from_settings(settings), done


def _inspect_in_worker(item: BatchItem) -> ItemOutcome:
    assert _worker_pipeline is not None, "worker started without its pipeline"
    return inspect_item(_worker_pipeline, item, _worker_done)


class ResumeLog:
    """A JSON Lines output that a batch appends to and, run again, resumes from."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.done: set[str] = set()
        self._handle: IO[str] | None = None

    def open(self) -> ResumeLog:
        """Read the ids already written (cutting off an incomplete last line) and open for append."""
        if self.path.exists():
            self._cut_incomplete_tail()
            with self.path.open(encoding="utf-8") as lines:
                self.done = {str(json.loads(line)["id"]) for line in lines if line.strip()}
        self._handle = self.path.open("a", encoding="utf-8")
        return self

    def _cut_incomplete_tail(self) -> None:
        data = self.path.read_bytes()
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):
            logger.warning("%s: 末尾有一行不完整（上次被中断），已删除后继续", self.path)
            with self.path.open("r+b") as handle:
                handle.truncate(len(complete))

    def write(self, line: str) -> None:
        assert self._handle is not None, "ResumeLog.open() first"
        self._handle.write(line + "\n")
        self._handle.flush()  # on disk as far as a killed process goes (not a power cut)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


__all__ = ["BatchItem", "ItemOutcome", "ResumeLog", "Verdict", "inspect_item", "run_items"]
