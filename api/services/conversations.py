"""Receiving a conversation: validate it, redact it, store it once.

Typed-in text is redacted on arrival (`Pipeline.redact` for the turns, `redact_value` for
`metadata`, keyed by what a value holds, not by its name) and stored with the spans masked; a
recording is checked to be decodable audio and kept for the job to transcribe, its form fields
redacted the same way. `accept` runs a store step in its own transaction.

The id is the idempotency key, compared on the *redacted* body: the same id with a body that
differs only inside masked spans is the same record (not stored again), with other content a
`ConflictError` that names the id and nothing else. The stored `body_hash` is the SHA-256 of
the redacted body (of what is stored anyway): no digest of raw text is kept, so a masked number
cannot be recovered by hashing guesses, and a re-submission cannot confirm a guess.
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
from api.services.uploads import (
    REQUEST_SOURCE,
    aware_start,
    check_audio_name,
    check_conversation_id,
    check_header_text,
    check_size,
    parse_audio_fields,
)
from inspection.errors import AudioError, InvalidInputError
from inspection.loaders import conversation_from_dict, parse_chat_csv
from inspection.pipeline import Pipeline
from inspection.redaction import redact_value
from inspection.transcription import decode_audio
from inspection.types import Conversation
from models import Conversation as StoredConversation
from models.repository import add_conversation, existing_or_conflict

StoreStep = Callable[[Session], tuple[StoredConversation, bool]]  # → (row, created)


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
        agent_id = row.agent_id
    if agent_id:  # committed: later submissions for this agent skip the lookup
        runtime.known_agents.add(agent_id)
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
                   audio_dir=runtime.settings.audio_dir, known_agents=runtime.known_agents)


def checked_conversation(data: dict[str, Any]) -> Conversation:
    """A canonical conversation the store can keep: valid, an id readable by URL, its agent
    and team given as text, its start time with a zone inside 1900-2199."""
    conversation = conversation_from_dict(data, source=REQUEST_SOURCE)
    check_conversation_id(conversation.id, source=REQUEST_SOURCE)
    check_header_text(conversation.agent_id, conversation.industry, conversation.metadata,
                      source=REQUEST_SOURCE)
    started_at = aware_start(conversation.started_at, source=REQUEST_SOURCE)
    return conversation.model_copy(update={"started_at": started_at})


@dataclass(frozen=True)
class PreparedTranscript:
    """A typed-in conversation ready to store: what is stored (`source`, redacted), its
    idempotency key, the masked spans, and the (unstored) validated original's agent."""

    id: str
    agent_id: str | None
    source: dict[str, Any]
    body_hash: str
    redactions: list[dict[str, Any]]


def prepare_transcript(pipeline: Pipeline, data: dict[str, Any]) -> PreparedTranscript:
    """Validate and redact a canonical conversation (no database: `InvalidInputError` is the
    only error bad input can raise)."""
    conversation = checked_conversation(data)
    redacted, spans = pipeline.redact(conversation)
    metadata, _ = redact_value(redacted.metadata, source="metadata")
    source = {**redacted.model_dump(mode="json"), "metadata": metadata}
    return PreparedTranscript(conversation.id, conversation.agent_id, source,
                              content_hash(source), [asdict(span) for span in spans])


def store_transcript(session: Session, *, pipeline: Pipeline, data: dict[str, Any],
                     known_agents: set[str] | None = None) -> tuple[StoredConversation, bool]:
    """Validate and store a canonical conversation, redacted. Returns (row, created)."""
    prepared = prepare_transcript(pipeline, data)
    row = existing_or_conflict(session, conversation_id=prepared.id, body_hash=prepared.body_hash)
    if row is not None:
        return row, False
    row = add_conversation(session, conversation_id=prepared.id, body_hash=prepared.body_hash,
                           data=prepared.source, agent_id=prepared.agent_id,
                           known_agents=known_agents)
    row.source = prepared.source
    row.redactions = prepared.redactions
    return row, True


def store_audio(session: Session, *, upload: Path, filename: str, fields: dict[str, Any],
                audio_dir: Path, known_agents: set[str] | None = None
                ) -> tuple[StoredConversation, bool]:
    """Validate an uploaded recording (decodable audio) and keep it for transcription. The
    form fields are stored redacted; the idempotency key covers them and the audio's digest
    (the audio itself is kept, so its digest reveals nothing more)."""
    digest = _file_digest(upload)
    conversation_id = str(fields.get("id") or f"audio-{digest[:16]}")
    redacted, _ = redact_value(fields, source="metadata")
    agent_id = fields.get("agent_id") or fields.get("metadata", {}).get("agent_id")
    header = {**redacted, "id": conversation_id, "channel": "voice"}
    body_hash = content_hash({**header, "audio_sha256": digest})
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
    row = add_conversation(session, conversation_id=conversation_id, body_hash=body_hash,
                           data=header, agent_id=str(agent_id) if agent_id else None,
                           known_agents=known_agents)
    row.audio_path = str(target.resolve())
    return row, True


def _store_audio_bytes(session: Session, *, data: bytes, filename: str, fields: dict[str, Any],
                       audio_dir: Path, known_agents: set[str]) -> tuple[StoredConversation, bool]:
    with tempfile.NamedTemporaryFile(delete=False, prefix="zhijian-upload-") as handle:
        handle.write(data)
    path = Path(handle.name)
    try:
        return store_audio(session, upload=path, filename=filename, fields=fields,
                           audio_dir=audio_dir, known_agents=known_agents)
    finally:
        path.unlink(missing_ok=True)


def content_hash(data: dict[str, Any]) -> str:
    """SHA-256 of canonical JSON; only ever given redacted content."""
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
    each one like any other). A time without an offset is read in Asia/Shanghai and written
    with its offset."""
    return [c.model_copy(update={"started_at": aware_start(c.started_at, source=filename)})
            .model_dump(mode="json", exclude_defaults=True)
            for c in parse_chat_csv(text, source=filename)]
