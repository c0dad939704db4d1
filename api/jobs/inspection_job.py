"""The inspection job — one function for in-process threads and Celery workers alike.

Idempotent: a conversation already `done` (or `failed`) is left alone, and a re-run replaces
utterances and findings in one transaction, so a retried or redelivered job never duplicates
anything. The core is reached only through the runtime's `Pipeline`, the one of the published
rule version (`Runtime.current_rules`), whose number is stored with the findings.
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from api.runtime import Runtime
from inspection.errors import AudioError, InvalidInputError, ModelLoadError
from inspection.pipeline import PipelineResult
from models import Conversation, session_scope
from models.enums import FINISHED, ConversationStatus
from models.errors import NotFoundError
from models.queries import append_audit, lock_conversation
from models.repository import store_result, verdict

logger = logging.getLogger(__name__)
ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:[A-Za-z]:)?[/\\][^\s，。；：,;()（）'\"]*")


@dataclass(frozen=True)
class _Work:
    """What a job needs from the stored row, read once."""

    conversation_id: str
    source: dict[str, Any]  # the typed-in conversation, redacted on arrival; {} for a recording
    audio_path: str | None
    metadata: dict[str, Any]

    @property
    def typed_in(self) -> bool:
        return bool(self.source)


def run_inspection_job(runtime: Runtime, conversation_id: str) -> str:
    """Inspect one stored conversation; returns its final status. Raises on failure after
    recording the error (the caller decides whether to retry); `NotFoundError` for an unknown id.

    Typed-in text takes milliseconds: claimed, inspected and stored in one transaction, so a
    failure anywhere leaves nothing half-written. A recording is claimed (`transcribing`) and
    committed first, so a long transcription shows its state and counts its attempt even if
    the worker dies."""
    try:
        with session_scope(runtime.engine) as session:
            claimed = lock_conversation(session, conversation_id=conversation_id)
            if claimed is None:
                raise NotFoundError(f"会话 {conversation_id} 不存在")
            row, has_results = claimed
            if row.status in FINISHED:
                return row.status
            row.attempts += 1
            work = _Work(row.id, dict(row.source), row.audio_path, dict(row.meta))
            if not work.typed_in:
                row.status = ConversationStatus.TRANSCRIBING
                session.add(row)
            else:
                relax_durability(session)
                _store(runtime, session, row, *_inspect(runtime, work), work,
                       has_results=has_results)
                return ConversationStatus.DONE
    except NotFoundError:
        raise
    except Exception as exc:  # rolled back: count the attempt and keep the error
        _record_failure(runtime, conversation_id, exc, count_attempt=True)
        raise
    return _finish_recording(runtime, work)


def _finish_recording(runtime: Runtime, work: _Work) -> str:
    try:
        inspected = _inspect(runtime, work)
        with session_scope(runtime.engine) as session:
            relax_durability(session)
            claimed = lock_conversation(session, conversation_id=work.conversation_id)
            assert claimed is not None
            row, has_results = claimed
            if row.status != ConversationStatus.DONE:  # another worker may have finished it
                _store(runtime, session, row, *inspected, work, has_results=has_results)
    except Exception as exc:
        _record_failure(runtime, work.conversation_id, exc, count_attempt=False)
        raise
    return ConversationStatus.DONE


def _inspect(runtime: Runtime, work: _Work) -> tuple[PipelineResult, int | None]:
    """The result, and the rule version that produced it."""
    pipeline, version = runtime.current_rules()
    if work.typed_in:
        return pipeline.inspect_conversation(work.source,
                                             source=f"conversation {work.conversation_id}"), version
    assert work.audio_path is not None
    return pipeline.inspect_audio(Path(work.audio_path), conversation_id=work.conversation_id,
                                  metadata=work.metadata), version


def _store(runtime: Runtime, session: Session, row: Conversation, inspected: PipelineResult,
           ruleset_version: int | None, work: _Work, *, has_results: bool) -> None:
    """The result, the verdict and `done` on the row, and the audit entry. A typed-in
    conversation keeps the redactions made on arrival (its stored text is already masked, so
    the pipeline finds nothing new); a recording's are the pipeline's."""
    if not work.typed_in:
        row.redactions = [asdict(span) for span in inspected.redactions]
    row.status, row.error = ConversationStatus.DONE, None
    store_result(session, row, conversation=inspected.conversation, result=inspected.result,
                 sentiments=inspected.sentiments, has_results=has_results,
                 ruleset_version=ruleset_version)
    session.add(row)
    append_audit(session, actor="system", action="conversation.scored", entity="conversation",
                 entity_id=row.id, before=None, after=verdict(row))


def _record_failure(runtime: Runtime, conversation_id: str, error: Exception, *,
                    count_attempt: bool) -> None:
    logger.warning("会话 %s 质检失败: %s: %s", conversation_id, type(error).__name__, error)
    with session_scope(runtime.engine) as session:
        row = session.get(Conversation, conversation_id, with_for_update=True)
        if row is None or row.status == ConversationStatus.DONE:
            return
        row.attempts += count_attempt
        row.error = user_facing_error(error)
        dead = row.attempts >= runtime.settings.job_max_attempts
        row.status = ConversationStatus.FAILED if dead else ConversationStatus.RECEIVED
        session.add(row)


def user_facing_error(error: Exception) -> str:
    """What users read of a failure (`Conversation.error`): the problem, never a server path,
    a model directory or an exception's internals; the server log has the whole error."""
    if isinstance(error, AudioError):
        return f"录音无法使用：{_without_paths(error.problem)}"
    if isinstance(error, InvalidInputError):
        return f"会话数据无法使用：{_without_paths(error.problem)}"
    if isinstance(error, ModelLoadError):
        return "质检模型不可用，请联系管理员（详情见服务日志）"
    return "质检失败：服务内部错误，请联系管理员（详情见服务日志）"


def _without_paths(problem: str) -> str:
    return ABSOLUTE_PATH.sub("<路径>", problem)


def relax_durability(session: Session) -> None:
    """Commit the job's results without waiting for the disk flush (PostgreSQL only).

    Safe because the job is idempotent: if the server crashes before the flush, the row is
    still unfinished and `resume_unfinished` runs the job again. Submissions stay durable.
    """
    if session.get_bind().dialect.name == "postgresql":
        with session.no_autoflush:  # pending row changes go in the job's one UPDATE
            session.exec(text("SET LOCAL synchronous_commit TO OFF"))  # type: ignore[call-overload]
