"""Receiving conversations: size limits, validation, PII redaction, idempotency by id."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlmodel import Session

from inspection.errors import AudioError, ConflictError, InvalidInputError
from inspection.loaders import conversation_from_dict
from inspection.redaction import redact_conversation
from models import Conversation
from models.queries import ensure_agent

REQUEST_SOURCE = "request body"


def parse_json_body(body: bytes) -> dict[str, Any]:
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


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def existing_or_conflict(session: Session, conversation_id: str, body_hash: str
                         ) -> Conversation | None:
    """The stored record for a repeated request; 409 when the id was used for other content."""
    row = session.get(Conversation, conversation_id)
    if row is not None and row.body_hash != body_hash:
        raise ConflictError(f"会话 id {conversation_id} 已存在且内容不同（id 是幂等键）")
    return row


def store_transcript(session: Session, *, data: dict[str, Any],
                     known_agents: set[tuple[str, str | None]] | None = None
                     ) -> tuple[Conversation, bool]:
    """Validate and store a canonical conversation (redacted). Returns (row, created)."""
    conversation = conversation_from_dict(data, source=REQUEST_SOURCE)
    body_hash = content_hash(conversation.model_dump(mode="json"))
    row = existing_or_conflict(session, conversation.id, body_hash)
    if row is not None:
        return row, False
    redacted, spans = redact_conversation(conversation)
    row = _new_row(session, conversation.id, body_hash, redacted.model_dump(mode="json"),
                   known_agents or set())
    row.source = redacted.model_dump(mode="json")
    row.redactions = [asdict(span) for span in spans]
    return row, True


def store_audio(session: Session, *, upload: Path, filename: str, fields: dict[str, Any],
                audio_dir: Path) -> tuple[Conversation, bool]:
    """Validate an uploaded recording (decodable audio) and store it for transcription."""
    from inspection.transcription import decode_audio

    digest = _file_digest(upload)
    conversation_id = str(fields.get("id") or f"audio-{digest[:16]}")
    body_hash = content_hash({**fields, "id": conversation_id, "audio_sha256": digest})
    row = existing_or_conflict(session, conversation_id, body_hash)
    if row is not None:
        return row, False
    try:
        decode_audio(upload)
    except InvalidInputError as exc:  # name the user's file, not our temporary copy
        raise AudioError(filename, exc.problem, exc.location) from None
    audio_dir.mkdir(parents=True, exist_ok=True)
    target = audio_dir / f"{digest}{Path(filename).suffix.lower()}"
    shutil.copyfile(upload, target)
    fields = {**fields, "id": conversation_id, "channel": "voice", "utterances": []}
    row = _new_row(session, conversation_id, body_hash, fields, set())
    row.audio_path = str(target.resolve())
    return row, True


def _new_row(session: Session, conversation_id: str, body_hash: str, data: dict[str, Any],
             known_agents: set[tuple[str, str | None]]) -> Conversation:
    """`known_agents`: (agent, team) pairs already committed, which need no lookup."""
    metadata = dict(data.get("metadata") or {})
    agent_id = data.get("agent_id") or metadata.get("agent_id")
    team_id = metadata.get("team")
    key = (str(agent_id), str(team_id) if team_id else None)
    if agent_id and key not in known_agents:
        ensure_agent(session, agent_id=key[0], team_id=key[1])
    row = Conversation(
        id=conversation_id, body_hash=body_hash, channel=data.get("channel", "chat"),
        direction=data.get("direction", "inbound"), industry=data.get("industry"),
        agent_id=str(agent_id) if agent_id else None, team_id=str(team_id) if team_id else None,
        started_at=_parse_time(data.get("started_at")), meta=metadata,
    )
    session.add(row)
    return row


def _parse_time(value: Any) -> Any:
    if not value:
        return None
    from datetime import datetime

    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def spool(chunks: list[bytes]) -> Path:
    with tempfile.NamedTemporaryFile(delete=False, prefix="zhijian-upload-") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return Path(handle.name)
