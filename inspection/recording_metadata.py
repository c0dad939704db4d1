"""What a recording system knows about a call, given beside the audio: a sidecar or a CSV row.

A recording alone gives only its file stem as the conversation id: no agent, direction,
industry, start time or queue, so rules gated on them (`applies_when`) misfire. Two ways in:

- a sidecar `call.json` next to `call.wav`: the canonical conversation fields minus the
  utterances (`id`, `direction`, `industry`, `agent_id`, `started_at`, `metadata`); a `.json`
  there that has `utterances` is a transcript, inspected as a conversation file, not a sidecar;
- `--metadata FILE.csv`: one row per recording, keyed by `file` (its name, or the end of its
  path: `2026-11/call.wav`) or by `id` (matched to the recording's stem), with the columns
  `agent_id,direction,industry,started_at` and any other column as a metadata key (`true` and
  `false` become booleans; an empty cell is left out).

A CSV row overrides the sidecar field by field (metadata key by key). `plan_recordings`
matches rows to the recordings of one run and names every problem: a row that matches no
recording, or several; two rows for one recording; and, with `require=True`, a recording
with neither a row nor a sidecar. The caller reports these and skips only what they concern.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inspection.errors import InvalidInputError
from inspection.loaders import describe_validation_error
from inspection.transcription.audio import AUDIO_EXTENSIONS, check_duration
from inspection.types import Conversation, Direction

SIDECAR_SUFFIX = ".json"
FIELD_COLUMNS = ("id", "agent_id", "direction", "industry", "started_at")
KEY_COLUMNS = ("file", "id")
_BOOLEANS = {"true": True, "false": False}


class RecordingMetadata(BaseModel):
    """The canonical conversation fields of a recording, without utterances (all optional)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str | None = Field(default=None, min_length=1, max_length=200)
    channel: Literal["voice"] = "voice"
    direction: Direction | None = None
    industry: str | None = None
    agent_id: str | None = None
    started_at: datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    def merged(self, override: RecordingMetadata) -> RecordingMetadata:
        """These fields with `override`'s given ones on top (metadata merged key by key)."""
        given = override.model_dump(exclude_unset=True, exclude={"metadata"})
        return self.model_copy(update={**given, "metadata": {**self.metadata, **override.metadata}})

    def applied_to(self, conversation: Conversation) -> Conversation:
        """The transcribed conversation with these fields (validated again, so an `agent_id` in
        `metadata` still becomes the conversation's)."""
        given = self.model_dump(exclude_unset=True, exclude={"metadata", "channel"})
        data = conversation.model_dump()
        data.update(given, metadata={**conversation.metadata, **self.metadata})
        return Conversation.model_validate(data)


def sidecar_path(recording: Path) -> Path:
    return recording.with_suffix(SIDECAR_SUFFIX)


def read_sidecar(recording: Path) -> RecordingMetadata | None:
    """The sidecar beside `recording`, None if there is none; `InvalidInputError` naming the
    sidecar and the field when it is not valid. A `.json` there that holds `utterances` is a
    transcript (a conversation file of its own), not a sidecar: None."""
    path = sidecar_path(recording)
    if not path.is_file():
        return None
    data = _sidecar_json(path)
    if isinstance(data, dict) and "utterances" in data:
        return None
    return _validated(data, str(path))


def _sidecar_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInputError(str(path), f"无法读取录音元数据 (cannot read the sidecar: {error})") from None


def is_sidecar(path: Path) -> bool:
    """A `.json` that is not a conversation (no `utterances`); unreadable counts as a sidecar, so
    that the recording's run reports it."""
    try:
        data = _sidecar_json(path)
    except InvalidInputError:
        return True
    return not (isinstance(data, dict) and "utterances" in data)


def _validated(data: Any, source: str, location: str | None = None) -> RecordingMetadata:
    try:
        return RecordingMetadata.model_validate(data)
    except ValidationError as error:
        where, problem = describe_validation_error(error)
        raise InvalidInputError(source, problem, ":".join(filter(None, [location, where]))) from None


def drop_sidecars(files: Sequence[Path], audio_extensions: frozenset[str]) -> list[Path]:
    """`files` without the `.json` sidecars of recordings that are also in `files` (a `.json`
    transcript beside its recording stays: it is a conversation file)."""
    stems = {f.with_suffix("") for f in files if f.suffix.lower() in audio_extensions}
    return [f for f in files
            if not (f.suffix.lower() == SIDECAR_SUFFIX and f.with_suffix("") in stems and is_sidecar(f))]


@dataclass(frozen=True)
class MetadataRow:
    """One CSV row: its line number, its key (`file` and/or `id`) and its fields."""

    line: int
    file: str | None
    conversation_id: str | None
    fields: RecordingMetadata


def read_metadata_csv(path: Path) -> list[MetadataRow]:
    """The rows of a metadata CSV (UTF-8, Excel's BOM accepted); `InvalidInputError` naming the
    file and the line for a missing key column or a bad value."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(source, f"无法读取元数据文件 (cannot read the CSV: {error})") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [name.strip() for name in reader.fieldnames or []]
    if not set(KEY_COLUMNS) & set(columns):
        raise InvalidInputError(source, "元数据 CSV 需要 file 或 id 列 (needs a file or an id column)")
    return [_row(source, number, raw) for number, raw in enumerate(reader, start=2)]


def _row(source: str, line: int, raw: Mapping[str | None, str | None]) -> MetadataRow:
    cells = {str(k).strip(): (v or "").strip() for k, v in raw.items() if k is not None and (v or "").strip()}
    file, conversation_id = cells.pop("file", None), cells.get("id")
    if file is None and conversation_id is None:
        raise InvalidInputError(source, "file 和 id 都为空 (neither file nor id given)", f"第 {line} 行")
    fields = {name: cells.pop(name) for name in FIELD_COLUMNS if name in cells}
    metadata = {key: _BOOLEANS.get(value.lower(), value) for key, value in cells.items()}
    return MetadataRow(line, file, conversation_id, _validated({**fields, "metadata": metadata}, source,
                                                              f"第 {line} 行"))


@dataclass
class RecordingPlan:
    """For each recording of a run, its fields (None: nothing known), and the problems found."""

    fields: dict[Path, RecordingMetadata | None] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    refused: set[Path] = field(default_factory=set)


def plan_recordings(recordings: Sequence[Path], rows: Sequence[MetadataRow] = (), *,
                    csv_source: str = "metadata.csv", require: bool = False) -> RecordingPlan:
    """Sidecar and CSV fields for each recording; every problem named (see the module doc).
    A recording whose sidecar is invalid, or that has no metadata while `require`, is refused."""
    plan = RecordingPlan()
    matched = _match_rows(recordings, rows, csv_source, plan.problems)
    for recording in recordings:
        try:
            sidecar = read_sidecar(recording)
        except InvalidInputError as error:
            plan.problems.append(str(error))
            plan.refused.add(recording)
            continue
        row = matched.get(recording)
        if require and sidecar is None and row is None:
            sidecar_name = sidecar_path(recording).name
            plan.problems.append(f"{recording}: 没有元数据 (no metadata: no sidecar {sidecar_name} "
                                 f"and no row in {csv_source})")
            plan.refused.add(recording)
            continue
        fields = sidecar.merged(row.fields) if sidecar and row else (row.fields if row else sidecar)
        plan.fields[recording] = fields
    return plan


def _match_rows(recordings: Sequence[Path], rows: Sequence[MetadataRow], source: str,
                problems: list[str]) -> dict[Path, MetadataRow]:
    matched: dict[Path, MetadataRow] = {}
    for row in rows:
        found = [r for r in recordings if _row_names(row, r)]
        name = row.file or row.conversation_id
        if len(found) != 1:
            several = ", ".join(map(str, found))
            problem = "不在本次的录音中 (names no recording given)" if not found else (
                f"对应多个录音 (matches several recordings: {several}; give more of the path)")
            problems.append(f"{source}: 第 {row.line} 行: {name}: {problem}")
        elif found[0] in matched:
            problems.append(f"{source}: 第 {row.line} 行: {name}: 与第 {matched[found[0]].line} 行重复 "
                            "(a second row for the same recording)")
        else:
            matched[found[0]] = row
    return matched


def _row_names(row: MetadataRow, recording: Path) -> bool:
    """A row names a recording by the end of its path (`file`) or, without `file`, by its stem."""
    if row.file is not None:
        wanted = Path(row.file).parts
        return tuple(recording.parts[-len(wanted):]) == wanted
    return recording.stem == row.conversation_id


def add_metadata_arguments(parser: argparse.ArgumentParser) -> None:
    """`--metadata FILE.csv` and `--require-metadata` (zhijian inspect and transcribe)."""
    parser.add_argument("--metadata", type=Path, default=None, metavar="FILE.csv",
                        help="录音元数据 CSV：每个录音一行（file 或 id 列，agent_id、direction、industry、"
                             "started_at 及任意 metadata 列）；录音旁的同名 .json 也会读取")
    parser.add_argument("--require-metadata", action="store_true",
                        help="没有元数据（CSV 行或同名 .json）的录音报错并跳过")


def plan_for_files(files: Sequence[Path], *, metadata_csv: Path | None, require: bool,
                   max_duration_s: float) -> RecordingPlan:
    """`plan_recordings` for the recordings among `files`, plus the refusal (from the header,
    before any model loads) of those longer than `max_duration_s`. `InvalidInputError` for an
    unreadable CSV."""
    recordings = [path for path in files if path.suffix.lower() in AUDIO_EXTENSIONS]
    rows = read_metadata_csv(metadata_csv) if metadata_csv else []
    plan = plan_recordings(recordings, rows, csv_source=str(metadata_csv or "metadata.csv"), require=require)
    for recording in recordings:
        if recording in plan.refused:
            continue
        try:
            check_duration(recording, max_duration_s)
        except InvalidInputError as error:
            plan.problems.append(str(error))
            plan.refused.add(recording)
    return plan


__all__ = [
    "MetadataRow",
    "RecordingMetadata",
    "RecordingPlan",
    "add_metadata_arguments",
    "drop_sidecars",
    "plan_for_files",
    "plan_recordings",
    "read_metadata_csv",
    "read_sidecar",
]
