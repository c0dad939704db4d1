"""Re-inspection as a job: a period's stored conversations inspected again with a rule version,
one idempotent job per conversation, in-process threads or Celery alike.

    start_reinspection ─► a ReinspectionRun + one `pending` item per `done` conversation of the
                          period (one transaction, audited), then every item queued
    reinspect_item     ─► lock the conversation, inspect its stored text with the run's version
                          (through the runtime's Pipeline; nothing is transcribed again), merge
                          the findings (reviews kept), score again, item `done`: ONE transaction

A worker killed half-way commits nothing: the item stays `pending` and runs again (after a
restart, `resume_reinspections`); an item already `done` is left alone, and a conversation
already on the run's version is merely marked `done`. A failed attempt is counted; after
`job_max_attempts` the item is `failed` with its error, the conversation as it was.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Protocol

from celery import Celery

from api.jobs.celery_app import configure_celery
from api.runtime import Runtime
from models import session_scope
from models.errors import NotFoundError
from models.people import utc_now
from models.queries import append_audit, lock_conversation
from models.reinspection import ITEM_DONE, ITEM_FAILED, ITEM_PENDING, ReinspectionItem, ReinspectionRun
from models.repository.reinspection import core_conversations, create_run, item_ids, merge_reinspection

logger = logging.getLogger(__name__)
REINSPECT_TASK = "zhijian.reinspect"


class ReinspectionQueue(Protocol):
    def submit(self, item_id: int) -> None: ...

    def shutdown(self) -> None: ...


def start_reinspection(runtime: Runtime, queue: ReinspectionQueue, *, since: datetime,
                       until: datetime, requested_by: str, version: int | None = None
                       ) -> ReinspectionRun:
    """Create the run (with `version`, default the published one) and its items, committed;
    then queue every item."""
    if version is None:
        version = runtime.current_rules()[1]
        assert version is not None  # the first start stored and published version 1
    with runtime.session() as session:
        run = create_run(session, version=version, since=since, until=until,
                         requested_by=requested_by)
        assert run.id is not None
        append_audit(session, actor=requested_by, action="rules.reinspection_started",
                     entity="reinspection", entity_id=str(run.id), before=None,
                     after={"version": version, "since": since.isoformat(),
                            "until": until.isoformat(), "conversations": run.total})
        pending = item_ids(session, run_id=run.id)
    for item_id in pending:
        queue.submit(item_id)
    return run


def reinspect_item(runtime: Runtime, item_id: int) -> str:
    """Re-inspect one item's conversation; returns the item's state. Raises after recording a
    failed attempt (the caller decides whether to retry); `NotFoundError` for an unknown item."""
    try:
        with runtime.session() as session:
            item = session.get(ReinspectionItem, item_id, with_for_update=True)
            if item is None:
                raise NotFoundError(f"重新质检任务 {item_id} 不存在")
            if item.state != ITEM_PENDING:
                return item.state
            run = session.get(ReinspectionRun, item.run_id)
            claimed = lock_conversation(session, conversation_id=item.conversation_id)
            assert run is not None and claimed is not None  # foreign keys
            row, _ = claimed
            if row.ruleset_version != run.version:
                pipeline = runtime.pipeline_for(run.version)
                conversation = core_conversations(session, ids=[row.id])[0]
                result = pipeline.inspect_conversation(conversation).result
                merge_reinspection(session, row, result, version=run.version,
                                   policy=pipeline.policy, actor=f"system:reinspection#{run.id}")
            item.state, item.updated_at = ITEM_DONE, utc_now()
            session.add(item)
            return ITEM_DONE
    except NotFoundError:
        raise
    except Exception as exc:  # rolled back: the conversation is as it was
        _record_failure(runtime, item_id, exc)
        raise


def _record_failure(runtime: Runtime, item_id: int, error: Exception) -> None:
    logger.warning("重新质检 %s 失败: %s", item_id, error)
    with session_scope(runtime.engine) as session:
        item = session.get(ReinspectionItem, item_id, with_for_update=True)
        if item is None or item.state != ITEM_PENDING:
            return
        item.attempts += 1
        item.error = f"{type(error).__name__}: {error}"
        if item.attempts >= runtime.settings.job_max_attempts:
            item.state = ITEM_FAILED
        item.updated_at = utc_now()
        session.add(item)


def still_pending(runtime: Runtime, item_id: int) -> bool:
    with runtime.session() as session:
        item = session.get(ReinspectionItem, item_id)
        return item is not None and item.state == ITEM_PENDING


class InProcessReinspections:
    """One background thread in this process (re-inspection never starves the upload jobs);
    a failed attempt is retried with back-off until the item records itself `failed`."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhijian-reinspect")
        self._closed = threading.Event()

    def submit(self, item_id: int) -> None:
        if not self._closed.is_set():
            self._pool.submit(self._run, item_id, 0)

    def _run(self, item_id: int, attempt: int) -> None:
        if self._closed.is_set():
            return
        try:
            reinspect_item(self.runtime, item_id)
        except NotFoundError:
            return
        except Exception:
            if still_pending(self.runtime, item_id) and not self._closed.is_set():
                time.sleep(min(10.0, 0.2 * 2 ** attempt))
                self._pool.submit(self._run, item_id, attempt + 1)

    def shutdown(self) -> None:
        self._closed.set()
        self._pool.shutdown(wait=True, cancel_futures=True)


class CeleryReinspections:
    """Hands each item to `zhijian worker` processes (task `zhijian.reinspect`)."""

    def __init__(self, runtime: Runtime) -> None:
        self.app: Celery = configure_celery(runtime.settings)

    def submit(self, item_id: int) -> None:
        self.app.send_task(REINSPECT_TASK, args=[item_id], queue=self.app.conf.task_default_queue)

    def shutdown(self) -> None:
        return None


def make_reinspection_queue(runtime: Runtime) -> ReinspectionQueue:
    if runtime.settings.broker_url:
        return CeleryReinspections(runtime)
    return InProcessReinspections(runtime)


def resume_reinspections(runtime: Runtime, queue: ReinspectionQueue) -> int:
    """After a restart, queue again every item still `pending`."""
    with runtime.session() as session:
        pending = item_ids(session)
    for item_id in pending:
        queue.submit(item_id)
    return len(pending)
