"""Read conversations from canonical JSON / JSON lines and chat CSV, with precise errors.

Every error names the file and, where it can, the line or field: a reviewer fixing an export
should never have to guess which of 10,000 rows is wrong.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from inspection.errors import ConversationFormatError
from inspection.types import ROLES, Conversation

CONVERSATION_EXTENSIONS = frozenset({".json", ".jsonl", ".csv"})
CSV_COLUMNS = ("conversation_id", "role", "timestamp", "text")
OPTIONAL_CSV_COLUMNS = ("agent_id", "direction", "industry")


def load_conversations(path: str | Path) -> list[Conversation]:
    """Load every conversation in one `.json`, `.jsonl` or `.csv` file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CONVERSATION_EXTENSIONS:
        raise ConversationFormatError(
            str(path), f"不支持的文件类型 '{suffix}'（支持 .json / .jsonl / .csv）"
        )
    text = _read_utf8(path)
    if not text.strip():
        raise ConversationFormatError(str(path), "文件为空 (empty file)")
    if suffix == ".csv":
        return parse_chat_csv(text, source=str(path))
    if suffix == ".jsonl":
        return list(_parse_json_lines(text, source=str(path)))
    return parse_conversation_json(text, source=str(path))


def parse_conversation_json(text: str, *, source: str) -> list[Conversation]:
    """Parse one conversation object, or an array of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConversationFormatError(
            source, f"JSON 格式错误: {exc.msg}", f"line {exc.lineno} column {exc.colno}"
        ) from None
    if isinstance(data, list):
        if not data:
            raise ConversationFormatError(source, "JSON 数组为空，没有会话 (no conversations)")
        return [conversation_from_dict(item, source=source, prefix=f"[{i}]")
                for i, item in enumerate(data)]
    return [conversation_from_dict(data, source=source)]


def _parse_json_lines(text: str, *, source: str) -> Iterator[Conversation]:
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConversationFormatError(
                source, f"JSON 格式错误: {exc.msg}", f"line {line_number}"
            ) from None
        yield conversation_from_dict(data, source=source, prefix=f"line {line_number}")


def conversation_from_dict(data: Any, *, source: str, prefix: str = "") -> Conversation:
    """Validate one decoded JSON value as a canonical conversation."""
    if not isinstance(data, dict):
        raise ConversationFormatError(
            source, f"应为 JSON 对象，实际为 {type(data).__name__} (expected an object)",
            prefix or None,
        )
    try:
        return Conversation.model_validate(data)
    except ValidationError as exc:
        location, problem = describe_validation_error(exc)
        raise ConversationFormatError(source, problem, _join(prefix, location)) from None


def describe_validation_error(exc: ValidationError) -> tuple[str, str]:
    """The first pydantic error as ("utterances[2].role", "readable problem")."""
    error = exc.errors()[0]
    location = ""
    for part in error["loc"]:
        location += f"[{part}]" if isinstance(part, int) else f".{part}" if location else str(part)
    kind = error["type"]
    if kind == "missing":
        return location, "缺少必填字段 (missing field)"
    if kind == "extra_forbidden":
        return location, "未知字段 (unknown field)"
    if kind == "literal_error" and location.endswith("role"):
        return location, f"未知角色 {error['input']!r}（应为 {' 或 '.join(ROLES)}）(unknown role)"
    if kind == "too_short" and location == "utterances":
        return location, "没有任何话轮 (utterances is empty)"
    return location, error["msg"]


def _join(prefix: str, location: str) -> str | None:
    joined = f"{prefix} {location}".strip()
    return joined or None


def _read_utf8(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConversationFormatError(str(path), f"无法读取文件: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConversationFormatError(
            str(path),
            f"不是 UTF-8 编码（字节 0x{data[exc.start]:02x}），可能是 GBK：请另存为 UTF-8 "
            "(file is not UTF-8)",
            f"line {line}",
        ) from None


def parse_chat_csv(text: str, *, source: str) -> list[Conversation]:
    """Parse chat rows `conversation_id,role,timestamp,text`, grouped by conversation id.

    Timestamps are ISO 8601 datetimes or seconds; utterance times become seconds from each
    conversation's first message.
    """
    try:
        return _parse_chat_rows(csv.DictReader(io.StringIO(text)), source)
    except csv.Error as exc:
        raise ConversationFormatError(source, f"CSV 格式错误: {exc}", None) from None


def _parse_chat_rows(reader: csv.DictReader[str], source: str) -> list[Conversation]:
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise ConversationFormatError(
            source, f"CSV 缺少列 {', '.join(missing)}（需要 {','.join(CSV_COLUMNS)}）", "line 1"
        )
    reader.fieldnames = header
    grouped: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line_number, row in _csv_rows(reader, source):
        conversation_id = (row.get("conversation_id") or "").strip()
        if not conversation_id:
            raise ConversationFormatError(source, "conversation_id 为空", f"line {line_number}")
        grouped.setdefault(conversation_id, []).append((line_number, row))
    if not grouped:
        raise ConversationFormatError(source, "CSV 只有表头，没有数据行 (no rows)")
    return [_chat_conversation(cid, rows, source) for cid, rows in grouped.items()]


def _csv_rows(
    reader: csv.DictReader[str], source: str
) -> Iterable[tuple[int, dict[str, str]]]:
    for row in reader:
        if None in row:
            raise ConversationFormatError(
                source, "列数多于表头 (more fields than the header)", f"line {reader.line_num}"
            )
        if any((value or "").strip() for value in row.values()):
            yield reader.line_num, row


def _chat_conversation(
    conversation_id: str, rows: list[tuple[int, dict[str, str]]], source: str
) -> Conversation:
    moments = [(_parse_timestamp(row["timestamp"], source, n), n, row) for n, row in rows]
    first = min(moment for moment, _, _ in moments)
    utterances = []
    for moment, line_number, row in moments:
        role = (row["role"] or "").strip().lower()
        if role not in ROLES:
            raise ConversationFormatError(
                source,
                f"未知角色 {row['role']!r}（应为 {' 或 '.join(ROLES)}）(unknown role)",
                f"line {line_number} role",
            )
        offset = _seconds_between(first, moment)
        utterances.append({"role": role, "start": offset, "end": offset, "text": row["text"] or ""})
    first_row = rows[0][1]
    data: dict[str, Any] = {"id": conversation_id, "channel": "chat", "utterances": utterances}
    for column in OPTIONAL_CSV_COLUMNS:
        if (first_row.get(column) or "").strip():
            data[column] = first_row[column].strip()
    if isinstance(first, datetime):
        data["started_at"] = first
    return conversation_from_dict(data, source=source, prefix=f"conversation {conversation_id}")


def _parse_timestamp(value: str | None, source: str, line_number: int) -> datetime | float:
    value = (value or "").strip()
    try:
        return float(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ConversationFormatError(
            source,
            f"无法解析时间 {value!r}（应为 ISO 8601 时间或秒数）(bad timestamp)",
            f"line {line_number} timestamp",
        ) from None


def _seconds_between(first: datetime | float, moment: datetime | float) -> float:
    if isinstance(first, datetime) and isinstance(moment, datetime):
        if (first.tzinfo is None) != (moment.tzinfo is None):
            return (moment.replace(tzinfo=None) - first.replace(tzinfo=None)).total_seconds()
        return (moment - first).total_seconds()
    if isinstance(first, float) and isinstance(moment, float):
        return moment - first
    raise ConversationFormatError("CSV", "同一会话混用了秒数和日期时间两种时间格式")
