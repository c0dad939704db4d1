"""Conversations: submit (JSON or audio), read one, list with filters."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.deps import JobsDep, PrincipalDep, ServicesDep, SessionDep
from api.errors import PayloadTooLargeError
from api.ingest import (
    parse_json_body,
    spool,
    store_audio,
    store_transcript,
)
from api.schemas import (
    ConversationAccepted,
    ConversationPublic,
    ConversationSummary,
    FindingPublic,
    UtterancePublic,
)
from api.services import Services
from inspection.errors import InvalidInputError
from inspection.loaders import describe_validation_error
from models import Conversation, session_scope
from models.queries import ConversationFilter, findings_of, list_conversations, utterances_of

router = APIRouter(prefix="/api/conversations", tags=["conversations"])
WRITERS = ("admin", "qa_reviewer")


class AudioFields(BaseModel):
    """The `metadata` form field of an audio upload (JSON)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, min_length=1, max_length=200)
    direction: str = Field(default="inbound", pattern="^(inbound|outbound)$")
    industry: str | None = None
    agent_id: str | None = None
    started_at: datetime | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


@router.post(
    "", response_model=ConversationAccepted,
    summary="提交一通会话（标准 JSON，或 multipart 录音 file + metadata）",
    openapi_extra={"requestBody": {"content": {
        "application/json": {"schema": {"type": "object"}},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"},
            "metadata": {"type": "string"}}}}}}},
)
async def submit_conversation(request: Request, response: Response, principal: PrincipalDep,
                              services: ServicesDep, jobs: JobsDep) -> ConversationAccepted:
    principal.require(*WRITERS)
    limit = services.settings.max_upload_bytes
    _check_declared_size(request, limit)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        store = await _receive_audio(request, services.settings.audio_dir, limit)
    else:
        data = parse_json_body(await _read_limited(request, limit))
        store = partial(store_transcript, data=data, known_agents=services.known_agents)
    # Database work runs in the thread pool, never on the event loop.
    accepted = await run_in_threadpool(_store_once, services, store)
    if accepted.created:
        jobs.submit(accepted.id)
    response.status_code = 201 if accepted.created else 200
    return accepted


def _store_once(services: Services, store: Callable[..., tuple[Conversation, bool]]
                ) -> ConversationAccepted:
    """Store in one transaction. When the same id arrives twice at once, the loser's commit
    fails; storing again then finds the winner's row and answers as for a repeat (200/409)."""
    try:
        return _store(services, store)
    except IntegrityError:
        return _store(services, store)


def _store(services: Services, store: Callable[..., tuple[Conversation, bool]]
           ) -> ConversationAccepted:
    with session_scope(services.engine) as session:
        row, created = store(session)
        accepted = ConversationAccepted(id=row.id, status=row.status, created=created)
        agent_id, team_id = row.agent_id, row.team_id
    if agent_id:  # committed: later submissions for this agent skip the lookup
        services.known_agents.add((agent_id, team_id))
    return accepted


def _check_declared_size(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(f"上传过大：{int(declared)} 字节，上限 {limit} 字节")


async def _read_limited(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"上传过大：超过上限 {limit} 字节")
        chunks.append(chunk)
    return b"".join(chunks)


async def _receive_audio(request: Request, audio_dir: Path, limit: int
                         ) -> Callable[..., tuple[Conversation, bool]]:
    """Read and check the multipart upload; return the storing step for the thread pool."""
    from inspection.transcription import AUDIO_EXTENSIONS

    form = await request.form(max_part_size=limit)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInputError("upload", "缺少录音文件字段 file")
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in AUDIO_EXTENSIONS:
        raise InvalidInputError(upload.filename, f"不支持的音频格式 '{suffix}'"
                                f"（支持 {' '.join(sorted(AUDIO_EXTENSIONS))}）")
    fields = _audio_fields(form.get("metadata"))
    data = await upload.read()
    if len(data) > limit:
        raise PayloadTooLargeError(f"上传过大：超过上限 {limit} 字节")
    return partial(_store_audio_file, data=data, filename=upload.filename, audio_dir=audio_dir,
                   fields=fields.model_dump(mode="json", exclude_none=True))


def _store_audio_file(session: Session, *, data: bytes, filename: str, audio_dir: Path,
                      fields: dict[str, Any]) -> tuple[Conversation, bool]:
    path = spool([data])
    try:
        return store_audio(session, upload=path, filename=filename, audio_dir=audio_dir,
                           fields=fields)
    finally:
        path.unlink(missing_ok=True)


def _audio_fields(raw: object) -> AudioFields:
    if raw is None:
        return AudioFields()
    try:
        return AudioFields.model_validate(json.loads(str(raw)))
    except json.JSONDecodeError as exc:
        raise InvalidInputError("metadata", f"JSON 格式错误: {exc.msg}") from None
    except ValidationError as exc:
        location, problem = describe_validation_error(exc)
        raise InvalidInputError("metadata", problem, location) from None


@router.get("/{conversation_id}", response_model=ConversationPublic, summary="会话详情")
def get_conversation(conversation_id: str, principal: PrincipalDep, session: SessionDep
                     ) -> ConversationPublic:
    row = principal.check_can_see(session.get(Conversation, conversation_id), conversation_id)
    return conversation_public(session, row)


def conversation_public(session: SessionDep, row: Conversation) -> ConversationPublic:
    utterances = utterances_of(session, conversation_id=row.id)
    findings = findings_of(session, conversation_id=row.id)
    return ConversationPublic(
        **summary(row).model_dump(), error=row.error, industry=row.industry, metadata=row.meta,
        roles_inferred=row.roles_inferred, has_audio=bool(row.audio_path),
        deductions=row.deductions, review_reasons=row.review_reasons,
        category_scores=row.category_scores, redactions=row.redactions,
        utterances=[UtterancePublic.model_validate(u, from_attributes=True) for u in utterances],
        findings=[FindingPublic.model_validate(f, from_attributes=True) for f in findings],
    )


def summary(row: Conversation) -> ConversationSummary:
    return ConversationSummary.model_validate(row, from_attributes=True)


@router.get("", response_model=list[ConversationSummary], summary="会话列表（可筛选）")
def list_all(
    principal: PrincipalDep, session: SessionDep,
    agent_id: str | None = None, team_id: str | None = None,
    since: Annotated[datetime | None, Query(description="started_at ≥ since")] = None,
    until: Annotated[datetime | None, Query(description="started_at < until")] = None,
    rule_id: str | None = None, veto: bool | None = None, needs_review: bool | None = None,
    min_score: float | None = None, max_score: float | None = None, status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> list[ConversationSummary]:
    scope = principal.visibility()
    filters = ConversationFilter(
        agent_id=agent_id, team_id=team_id, since=since, until=until, rule_id=rule_id, veto=veto,
        needs_review=needs_review, min_score=min_score, max_score=max_score, status=status,
        visible_agent_ids=scope.visible_agent_ids, visible_team_id=scope.visible_team_id)
    rows = list_conversations(session, filters=filters, limit=limit, offset=offset)
    return [summary(row) for row in rows]
