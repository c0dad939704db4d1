"""Request bodies before anything is stored: size limits, text decoding, a conversation's JSON,
and the fields of an audio upload. Every problem is a domain error naming what to fix.

What a stored conversation may hold, checked here so that the database never sees it: an id
that can be read back by URL, a start time with a zone inside 1900-2199 (a naive one is read in
`DEFAULT_TIMEZONE`, Asia/Shanghai, as ticket times are), an agent and team given as text that
fits their columns, no JSON nested deeper than `MAX_BODY_DEPTH`, no NUL character and no lone
UTF-16 surrogate (PostgreSQL stores neither; JSON can carry both as escapes).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coaching.periods import DEFAULT_TIMEZONE, localize
from inspection.errors import InvalidInputError, ZhijianError
from inspection.loaders import describe_validation_error
from inspection.redaction import MAX_DEPTH
from inspection.transcription import AUDIO_EXTENSIONS

REQUEST_SOURCE = "request body"
MAX_BODY_DEPTH = MAX_DEPTH + 4  # the conversation, its metadata, then metadata's own limit
URL_BREAKING = frozenset("/\\?#%")
EARLIEST_START = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_START = datetime(2200, 1, 1, tzinfo=UTC)
TEXT_LIMITS = {"agent_id": 100, "team": 100, "industry": 50}  # the columns' lengths


class UploadTooLargeError(ZhijianError):
    """An upload over the configured size limit."""


def check_declared_size(content_length: str | None, limit: int) -> None:
    """Refuse a body whose declared length is over `limit` before reading it."""
    if content_length and content_length.isdigit() and int(content_length) > limit:
        raise UploadTooLargeError(f"上传过大：{int(content_length)} 字节，上限 {limit} 字节")


def check_size(data: bytes, limit: int) -> None:
    if len(data) > limit:
        raise UploadTooLargeError(f"上传过大：超过上限 {limit} 字节")


async def read_limited(chunks: AsyncIterator[bytes], limit: int) -> bytes:
    """The body, read chunk by chunk; stops as soon as it passes `limit`."""
    received, size = [], 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise UploadTooLargeError(f"上传过大：超过上限 {limit} 字节")
        received.append(chunk)
    return b"".join(received)


def decode_text(body: bytes, *, source: str, not_utf8: str) -> str:
    """UTF-8 text (Excel's BOM accepted); `not_utf8` says what to do about another encoding."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError(source, not_utf8) from None


def csv_upload_text(body: bytes, *, source: str, limit: int, what: str) -> str:
    """The text of an uploaded CSV (`what` names it in Chinese: 工单文件, 人工录入文件), refused when
    over `limit` bytes, not UTF-8, empty, or holding NUL bytes (a binary file)."""
    if len(body) > limit:
        raise UploadTooLargeError(f"{what}过大：超过上限 {limit} 字节")
    text = decode_text(body, source=source, not_utf8="不是 UTF-8 编码：请另存为 UTF-8")
    if not text.strip():
        raise InvalidInputError(source, "文件为空")
    if "\x00" in text:
        raise InvalidInputError(source, "含有 NUL 字符：不是 CSV 文本")
    return text


def parse_json_body(body: bytes) -> dict[str, Any]:
    """One canonical conversation object (validated later, field by field)."""
    if not body.strip():
        raise InvalidInputError(REQUEST_SOURCE, "请求体为空 (empty body)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError(REQUEST_SOURCE, "请求体不是 UTF-8 编码") from None
    data = load_json(text, source=REQUEST_SOURCE)
    if not isinstance(data, dict):
        raise InvalidInputError(REQUEST_SOURCE, "应为一个会话 JSON 对象（每个请求一通会话）")
    return data


def load_json(text: str, *, source: str) -> Any:
    """Decoded JSON that nests at most `MAX_BODY_DEPTH` levels and whose texts are storable."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(source, f"JSON 格式错误: {exc.msg}",
                                f"line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise InvalidInputError(source, f"JSON 嵌套过深（上限 {MAX_BODY_DEPTH} 层）") from None
    check_storable(data, source=source)
    return data


def check_storable(value: Any, *, source: str, limit: int = MAX_BODY_DEPTH) -> None:
    """`InvalidInputError` naming where `value` first nests deeper than `limit` levels or holds
    a text no database keeps: a NUL character, a lone UTF-16 surrogate (`"\\ud800"`). Walked
    without recursion: the check itself cannot exhaust the stack."""
    pending: list[tuple[Any, tuple[str, ...]]] = [(value, ())]
    while pending:
        item, path = pending.pop()
        if isinstance(item, str):
            _check_text(item, source=source, path=path)
        if not isinstance(item, Mapping | list):
            continue
        if len(path) >= limit:
            raise InvalidInputError(source, f"嵌套超过 {limit} 层", _where(path))
        children = item.items() if isinstance(item, Mapping) else enumerate(item)
        for key, child in children:
            if isinstance(key, str):
                _check_text(key, source=source, path=path)
            pending.append((child, (*path, str(key))))


def _check_text(text: str, *, source: str, path: tuple[str, ...]) -> None:
    if "\x00" in text:
        raise InvalidInputError(source, "含有 NUL 字符（\\u0000）", _where(path))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInputError(source, "含有无效的 Unicode 字符（孤立的代理项 "
                                f"\\u{ord(exc.object[exc.start]):04x}），请检查编码",
                                _where(path)) from None


def _where(path: tuple[str, ...]) -> str | None:
    """The first elements of a path (metadata.a.b…): enough to find it, short in a message."""
    if not path:
        return None
    return ".".join(path[:6]) + ("…" if len(path) > 6 else "")


class AudioFields(BaseModel):
    """The `metadata` form field of an audio upload (JSON)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, min_length=1, max_length=200)
    direction: str = Field(default="inbound", pattern="^(inbound|outbound)$")
    industry: str | None = None
    agent_id: str | None = None
    started_at: datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


def check_audio_name(filename: str) -> None:
    suffix = Path(filename).suffix.lower()
    if suffix not in AUDIO_EXTENSIONS:
        raise InvalidInputError(filename, f"不支持的音频格式 '{suffix}'"
                                f"（支持 {' '.join(sorted(AUDIO_EXTENSIONS))}）")


def parse_audio_fields(raw: object) -> dict[str, Any]:
    """The upload's `metadata` field (None: no field) as conversation header fields."""
    if raw is None:
        return AudioFields().model_dump(mode="json", exclude_none=True)
    try:
        fields = AudioFields.model_validate(load_json(str(raw), source="metadata"))
    except ValidationError as exc:
        location, problem = describe_validation_error(exc)
        raise InvalidInputError("metadata", problem, location) from None
    if fields.id is not None:
        check_conversation_id(fields.id, source="metadata")
    check_header_text(fields.agent_id, fields.industry, fields.metadata, source="metadata")
    started_at = aware_start(fields.started_at, source="metadata")
    return fields.model_copy(update={"started_at": started_at}).model_dump(
        mode="json", exclude_none=True)


def check_conversation_id(conversation_id: str, *, source: str) -> None:
    """An id must come back unchanged in `/api/conversations/{id}`: no `/ \\ ? # %`, no
    whitespace or control characters, not `.` or `..`."""
    bad = [c for c in conversation_id
           if c in URL_BREAKING or c.isspace() or unicodedata.category(c).startswith("C")]
    if bad or conversation_id in (".", ".."):
        raise InvalidInputError(source, "id 不能含 / \\ ? # % 、空白或控制字符，也不能是 . 或 .."
                                "（这样的 id 无法按地址读回）", "id")


def aware_start(started_at: datetime | None, *, source: str, field: str = "started_at"
                ) -> datetime | None:
    """`started_at` with its zone (a naive time is read in Asia/Shanghai), inside 1900-2199
    (`InvalidInputError` naming `field` otherwise)."""
    if started_at is None:
        return None
    try:
        aware = localize(started_at, DEFAULT_TIMEZONE) if started_at.tzinfo is None else started_at
        in_range = EARLIEST_START <= aware.astimezone(UTC) < LATEST_START
    except OverflowError:
        in_range = False
    if not in_range:
        raise InvalidInputError(source, "时间超出可接受范围（1900–2199 年）", field)
    return aware


def check_header_text(agent_id: object, industry: object, metadata: Mapping[str, Any], *,
                      source: str) -> None:
    """The agent (top level or `metadata.agent_id`), `metadata.team` and the industry are text
    (an agent id may be a whole number) that fits their columns."""
    fields = {"agent_id": agent_id, "industry": industry,
              "metadata.agent_id": metadata.get("agent_id"), "metadata.team": metadata.get("team")}
    for name, value in fields.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidInputError(source, f"应为字符串，实际为 {type(value).__name__}", name)
        limit = TEXT_LIMITS[name.removeprefix("metadata.")]
        if len(str(value)) > limit:
            raise InvalidInputError(source, f"超过 {limit} 个字符", name)
