"""Receiving a conversation: validate it, redact it, store it once.

The id is the idempotency key: the same id with the same content is the same record (not
stored again), with other content a `ConflictError`. Typed-in text is redacted on arrival
(`Pipeline.redact`) and stored with the spans masked; a recording is checked to be decodable
audio and kept for the job to transcribe. `accept` runs a store step in its own transaction.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from api.runtime import Runtime
from api.services.uploads import REQUEST_SOURCE, check_audio_name, check_size, parse_audio_fields
from inspection.errors import AudioError, InvalidInputError
from inspection.loaders import conversation_from_dict, parse_chat_csv
from inspection.pipeline import Pipeline
from inspection.transcription import decode_audio
from models import Conversation
from models.repository import add_conversation, existing_or_conflict

StoreStep = Callable[[Session], tuple[Conversation, bool]]  # → (row, created)


@dataclass(frozen=True)
class Accepted:
    id: str
    status: str
    created: bool


def accept(runtime: Runtime, store: StoreStep) -> Accepted:
    """Run `store` in one transaction. When the same id arrives twice at once, the loser's
    commit fails; storing again then finds the winner's row and answers as for a repeat."""
    try:
        return _store(runtime, store)
    except IntegrityError:
        return _store(runtime, store)


def _store(runtime: Runtime, store: StoreStep) -> Accepted:
    with runtime.session() as session:
        row, created = store(session)
        accepted = Accepted(id=row.id, status=row.status, created=created)
        agent_id, team_id = row.agent_id, row.team_id
    if agent_id:  # committed: later submissions for this agent skip the lookup
        runtime.known_agents.add((agent_id, team_id))
    return accepted


def transcript_step(runtime: Runtime, data: dict[str, Any]) -> StoreStep:
    """The store step for a canonical conversation (validated when it runs)."""
    return partial(store_transcript, pipeline=runtime.pipeline, data=data,
                   known_agents=runtime.known_agents)


def audio_step(runtime: Runtime, *, filename: str, data: bytes, metadata: object) -> StoreStep:
    """Check an audio upload (format, `metadata` field, size) and return its store step."""
    check_audio_name(filename)
    fields = parse_audio_fields(metadata)
    check_size(data, runtime.settings.max_upload_bytes)
    return partial(_store_audio_bytes, data=data, filename=filename, fields=fields,
                   audio_dir=runtime.settings.audio_dir)


def store_transcript(session: Session, *, pipeline: Pipeline, data: dict[str, Any],
                     known_agents: set[tuple[str, str | None]] | None = None
                     ) -> tuple[Conversation, bool]:
    """Validate and store a canonical conversation, redacted. Returns (row, created)."""
    conversation = conversation_from_dict(data, source=REQUEST_SOURCE)
    body_hash = content_hash(conversation.model_dump(mode="json"))
    row = existing_or_conflict(session, conversation_id=conversation.id, body_hash=body_hash)
    if row is not None:
        return row, False
    redacted, spans = pipeline.redact(conversation)
    source = redacted.model_dump(mode="json")
    row = add_conversation(session, conversation_id=conversation.id, body_hash=body_hash,
                           data=source, known_agents=known_agents)
    row.source = source
    row.redactions = [asdict(span) for span in spans]
    return row, True


def store_audio(session: Session, *, upload: Path, filename: str, fields: dict[str, Any],
                audio_dir: Path) -> tuple[Conversation, bool]:
    """Validate an uploaded recording (decodable audio) and keep it for transcription."""
    digest = _file_digest(upload)
    conversation_id = str(fields.get("id") or f"audio-{digest[:16]}")
    body_hash = content_hash({**fields, "id": conversation_id, "audio_sha256": digest})
    row = existing_or_conflict(session, conversation_id=conversation_id, body_hash=body_hash)
    if row is not None:
        return row, False
    try:
        decode_audio(upload)
    except InvalidInputError as exc:  # name the user's file, not our temporary copy
        raise AudioError(filename, exc.problem, exc.location) from None
    audio_dir.mkdir(parents=True, exist_ok=True)
    target = audio_dir / f"{digest}{Path(filename).suffix.lower()}"
    shutil.copyfile(upload, target)
    header = {**fields, "id": conversation_id, "channel": "voice"}
    row = add_conversation(session, conversation_id=conversation_id, body_hash=body_hash,
                           data=header)
    row.audio_path = str(target.resolve())
    return row, True


def _store_audio_bytes(session: Session, *, data: bytes, filename: str, fields: dict[str, Any],
                       audio_dir: Path) -> tuple[Conversation, bool]:
    with tempfile.NamedTemporaryFile(delete=False, prefix="zhijian-upload-") as handle:
        handle.write(data)
    path = Path(handle.name)
    try:
        return store_audio(session, upload=path, filename=filename, fields=fields,
                           audio_dir=audio_dir)
    finally:
        path.unlink(missing_ok=True)


def content_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def chat_csv_as_json(text: str, *, filename: str) -> list[dict[str, Any]]:
    """A chat CSV's conversations as canonical JSON (not stored: the upload page submits
    each one like any other)."""
    return [c.model_dump(mode="json", exclude_defaults=True)
            for c in parse_chat_csv(text, source=filename)]
