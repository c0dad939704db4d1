"""Request bodies before anything is stored: size limits, text decoding, a conversation's JSON,
and the fields of an audio upload. Every problem is a domain error naming what to fix."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from inspection.errors import InvalidInputError, ZhijianError
from inspection.loaders import describe_validation_error
from inspection.transcription import AUDIO_EXTENSIONS

REQUEST_SOURCE = "request body"


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


def parse_json_body(body: bytes) -> dict[str, Any]:
    """One canonical conversation object (validated later, field by field)."""
    if not body.strip():
        raise InvalidInputError(REQUEST_SOURCE, "请求体为空 (empty body)")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInputError(REQUEST_SOURCE, "请求体不是 UTF-8 编码") from None
    except json.JSONDecodeError as exc:
        raise InvalidInputError(REQUEST_SOURCE, f"JSON 格式错误: {exc.msg}",
                                f"line {exc.lineno} column {exc.colno}") from None
    if not isinstance(data, dict):
        raise InvalidInputError(REQUEST_SOURCE, "应为一个会话 JSON 对象（每个请求一通会话）")
    return data


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
        fields = AudioFields.model_validate(json.loads(str(raw)))
    except json.JSONDecodeError as exc:
        raise InvalidInputError("metadata", f"JSON 格式错误: {exc.msg}") from None
    except ValidationError as exc:
        location, problem = describe_validation_error(exc)
        raise InvalidInputError("metadata", problem, location) from None
    return fields.model_dump(mode="json", exclude_none=True)
