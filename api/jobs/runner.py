"""The inspection job — one function for both modes — and the two ways to run it.

Embedded: `InProcessJobs`, a thread pool in the API process. Scale-out: `CeleryJobs`, which
sends the id to `zhijian worker` processes over Redis. The job is idempotent: a conversation
already `done` is left alone, and re-running replaces utterances and findings in one
transaction, so a retried or redelivered job never duplicates anything.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import text
from sqlmodel import Session

from api.services import Services
from api.storage import store_result, verdict
from inspection.errors import NotFoundError
from inspection.loaders import conversation_from_dict
from inspection.pipeline import inspect_conversation, predict_sentiment
from inspection.redaction import RedactedSpan, redact_conversation
from inspection.types import Conversation as CoreConversation
from inspection.types import InspectionResult, SentimentResult
from models import Conversation, session_scope
from models.queries import append_audit, lock_conversation

logger = logging.getLogger(__name__)
UNFINISHED = ("received", "transcribing", "analysing")


@dataclass(frozen=True)
class _Work:
    """What a job needs from the stored row, read once."""

    conversation_id: str
    source: dict[str, Any]
    audio_path: str | None
    metadata: dict[str, Any]


@dataclass(frozen=True)
class _Computed:
    conversation: CoreConversation
    spans: list[RedactedSpan]
    sentiments: list[SentimentResult | None] | None
    result: InspectionResult


def run_inspection_job(services: Services, conversation_id: str) -> str:
    """Inspect one stored conversation; returns its final status. Raises on failure after
    recording the error (the caller decides whether to retry).

    Typed-in text takes milliseconds: claimed, inspected and stored in one transaction, so a
    failure anywhere leaves nothing half-written. Audio is claimed (`transcribing`) and
    committed first, so a long transcription shows its state and counts its attempt even if
    the worker dies."""
    try:
        with session_scope(services.engine) as session:
            claimed = lock_conversation(session, conversation_id=conversation_id)
            if claimed is None:
                raise NotFoundError(f"会话 {conversation_id} 不存在")
            row, has_results = claimed
            if row.status in ("done", "failed"):
                return row.status
            row.attempts += 1
            work = _Work(row.id, dict(row.source), row.audio_path, dict(row.meta))
            if not work.source:
                row.status = "transcribing"
                session.add(row)
            else:
                relax_durability(session)
                _store(services, session, row, _compute(services, work), typed_in=True,
                       has_results=has_results)
                return "done"
    except NotFoundError:
        raise
    except Exception as exc:  # rolled back: count the attempt and keep the error
        _record_failure(services, conversation_id, exc, count_attempt=True)
        raise
    return _finish_audio_job(services, work)


def _finish_audio_job(services: Services, work: _Work) -> str:
    try:
        computed = _compute(services, work)
        with session_scope(services.engine) as session:
            relax_durability(session)
            claimed = lock_conversation(session, conversation_id=work.conversation_id)
            assert claimed is not None
            row, has_results = claimed
            if row.status != "done":  # another worker may have finished it meanwhile
                _store(services, session, row, computed, typed_in=False, has_results=has_results)
    except Exception as exc:
        _record_failure(services, work.conversation_id, exc, count_attempt=False)
        raise
    return "done"


def _compute(services: Services, work: _Work) -> _Computed:
    spans: list[RedactedSpan] = []
    if work.source:  # typed-in conversations were redacted on arrival
        conversation = conversation_from_dict(work.source,
                                              source=f"conversation {work.conversation_id}")
        redacted = conversation
    else:
        assert work.audio_path is not None
        conversation = services.transcribe(Path(work.audio_path),
                                           conversation_id=work.conversation_id,
                                           metadata=work.metadata)
        redacted, spans = redact_conversation(conversation)
    sentiment = services.sentiment()
    sentiments = (predict_sentiment(redacted, sentiment, services.sentiment_roles)
                  if sentiment else None)
    result = inspect_conversation(redacted, services.rules, sentiments=sentiments,
                                  policy=services.policy)
    return _Computed(redacted, list(spans), sentiments, result)


def _store(services: Services, session: Session, row: Conversation, computed: _Computed, *,
           typed_in: bool, has_results: bool) -> None:
    originals = None
    if services.settings.store_original_text and not typed_in:
        originals = [u.text for u in computed.conversation.utterances]
    if not typed_in:
        row.redactions = [asdict(span) for span in computed.spans]
    row.status, row.error = "done", None
    store_result(session, row, computed.conversation, computed.result, originals=originals,
                 sentiments=computed.sentiments, has_results=has_results)
    session.add(row)
    append_audit(session, actor="system", action="conversation.scored", entity="conversation",
                 entity_id=row.id, before=None, after=verdict(row))


def _record_failure(services: Services, conversation_id: str, error: Exception, *,
                    count_attempt: bool) -> None:
    logger.warning("会话 %s 质检失败: %s", conversation_id, error)
    with session_scope(services.engine) as session:
        row = session.get(Conversation, conversation_id, with_for_update=True)
        if row is None or row.status == "done":
            return
        row.attempts += count_attempt
        row.error = f"{type(error).__name__}: {error}"
        dead = row.attempts >= services.settings.job_max_attempts
        row.status = "failed" if dead else "received"
        session.add(row)


def relax_durability(session: Session) -> None:
    """Commit the job's results without waiting for the disk flush (PostgreSQL only).

    Safe because the job is idempotent: if the server crashes before the flush, the row is
    still unfinished and `resume_unfinished` runs the job again. Submissions stay durable.
    """
    if session.get_bind().dialect.name == "postgresql":
        with session.no_autoflush:  # pending row changes go in the job's one UPDATE
            session.exec(text("SET LOCAL synchronous_commit TO OFF"))  # type: ignore[call-overload]


class JobQueue(Protocol):
    def submit(self, conversation_id: str) -> None: ...

    def shutdown(self) -> None: ...


class InProcessJobs:
    """A thread pool in this process, with retries and back-off."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._pool = ThreadPoolExecutor(max_workers=services.settings.job_workers,
                                        thread_name_prefix="zhijian-job")
        self._closed = threading.Event()

    def submit(self, conversation_id: str) -> None:
        if not self._closed.is_set():
            self._pool.submit(self._run, conversation_id)

    def _run(self, conversation_id: str) -> None:
        try:
            run_inspection_job(self.services, conversation_id)
        except NotFoundError:
            return
        except Exception:
            with session_scope(self.services.engine) as session:
                row = session.get(Conversation, conversation_id)
                retry = row is not None and row.status == "received"
                attempts = row.attempts if row else 0
            if retry and not self._closed.is_set():
                time.sleep(min(30.0, 0.5 * 2 ** attempts))
                self.submit(conversation_id)

    def shutdown(self) -> None:
        self._closed.set()
        self._pool.shutdown(wait=True, cancel_futures=True)


class CeleryJobs:
    """Hands each job to `zhijian worker` processes over the broker."""

    def __init__(self, services: Services) -> None:
        from api.worker import configure_celery

        self.app = configure_celery(services.settings)

    def submit(self, conversation_id: str) -> None:
        self.app.send_task("zhijian.inspect", args=[conversation_id],
                           queue=self.app.conf.task_default_queue)

    def shutdown(self) -> None:
        return None


def make_job_queue(services: Services) -> JobQueue:
    return CeleryJobs(services) if services.settings.broker_url else InProcessJobs(services)


def resume_unfinished(services: Services, jobs: JobQueue) -> int:
    """After a restart, queue again what was received but never finished."""
    from sqlmodel import col, select

    with session_scope(services.engine) as session:
        ids = list(session.exec(select(Conversation.id).where(
            col(Conversation.status).in_(UNFINISHED))))
    for conversation_id in ids:
        jobs.submit(conversation_id)
    return len(ids)
