"""Conversations: submit (JSON or audio), read one, list with filters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from api.http.auth import require_role
from api.http.deps import JobsDep, PrincipalDep, RuntimeDep, SessionDep, check_json_body
from api.http.schemas import ConversationAccepted, ConversationPublic, ConversationSummary
from api.runtime import Runtime
from api.services.conversations import StoreStep, accept, audio_step, transcript_step
from api.services.uploads import aware_start, check_declared_size, parse_json_body, read_limited
from inspection.errors import InvalidInputError
from models import Conversation
from models.enums import WRITERS
from models.queries import ConversationFilter, findings_of, list_conversations, utterances_of

router = APIRouter(prefix="/api/conversations", tags=["conversations"])


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
                              runtime: RuntimeDep, jobs: JobsDep) -> ConversationAccepted:
    require_role(principal, WRITERS)
    limit = runtime.settings.max_upload_bytes
    check_declared_size(request.headers.get("content-length"), limit)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        store = await _audio_upload(request, runtime)
    else:
        check_json_body(request)  # 415 for text/plain, forms, or no content type
        store = transcript_step(runtime, parse_json_body(await read_limited(request.stream(), limit)))
    # Database work runs in the thread pool, never on the event loop.
    accepted = await run_in_threadpool(accept, runtime, store)
    if accepted.created:
        jobs.submit(accepted.id)
    response.status_code = 201 if accepted.created else 200
    return ConversationAccepted.model_validate(accepted, from_attributes=True)


async def _audio_upload(request: Request, runtime: Runtime) -> StoreStep:
    """The multipart form's `file` and `metadata` fields, checked by the service."""
    form = await request.form(max_part_size=runtime.settings.max_upload_bytes)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInputError("upload", "缺少录音文件字段 file")
    return audio_step(runtime, filename=upload.filename, data=await upload.read(),
                      metadata=form.get("metadata"))


@router.get("/{conversation_id}", response_model=ConversationPublic, summary="会话详情")
def get_conversation(conversation_id: str, principal: PrincipalDep, session: SessionDep
                     ) -> ConversationPublic:
    row = principal.check_can_see(session.get(Conversation, conversation_id), conversation_id)
    return ConversationPublic.of_stored(row, utterances_of(session, conversation_id=row.id),
                                        findings_of(session, conversation_id=row.id))


@router.get("", response_model=list[ConversationSummary], summary="会话列表（可筛选）")
def list_all(
    principal: PrincipalDep, session: SessionDep,
    agent_id: str | None = None, team_id: str | None = None,
    since: Annotated[datetime | None, Query(description="started_at ≥ since（无时区：上海时间）")] = None,
    until: Annotated[datetime | None, Query(description="started_at < until（无时区：上海时间）")] = None,
    rule_id: str | None = None, veto: bool | None = None, needs_review: bool | None = None,
    min_score: float | None = None, max_score: float | None = None, status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
) -> list[ConversationSummary]:
    scope = principal.visibility()
    since = aware_start(since, source="query", field="since")
    until = aware_start(until, source="query", field="until")
    filters = ConversationFilter(
        agent_id=agent_id, team_id=team_id, since=since, until=until, rule_id=rule_id, veto=veto,
        needs_review=needs_review, min_score=min_score, max_score=max_score, status=status,
        visible_agent_ids=scope.visible_agent_ids, visible_team_id=scope.visible_team_id)
    rows = list_conversations(session, filters=filters, limit=limit, offset=offset)
    return [ConversationSummary.of(row) for row in rows]
