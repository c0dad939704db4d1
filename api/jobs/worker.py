"""The Celery task `zhijian worker` runs: the same job function as in-process mode.

A redelivered job (its worker died) runs again and still ends `done` exactly once. One runtime
(and so one set of models) per worker process, built on its first task. A failed attempt is
retried with back-off until the job records itself `failed` (the dead letter).
"""

from __future__ import annotations

import logging
from functools import cache

from celery import Task

from api.jobs.celery_app import INSPECT_TASK, celery_app, configure_celery
from api.jobs.inspection_job import run_inspection_job
from api.jobs.reinspection import REINSPECT_TASK, reinspect_item, still_pending
from api.runtime import Runtime, build_runtime
from api.settings import Settings, get_settings
from models import Conversation, session_scope
from models.enums import ConversationStatus
from models.errors import NotFoundError

logger = logging.getLogger(__name__)


@cache
def worker_runtime() -> Runtime:
    return build_runtime(get_settings())


@celery_app.task(name=INSPECT_TASK, bind=True, acks_late=True, max_retries=None)
def inspect_task(self: Task, conversation_id: str) -> str:
    runtime = worker_runtime()
    try:
        return run_inspection_job(runtime, conversation_id)
    except NotFoundError:
        logger.warning("会话 %s 不存在，忽略", conversation_id)
        return "missing"
    except Exception as exc:
        with session_scope(runtime.engine) as session:
            row = session.get(Conversation, conversation_id)
            if row is None or row.status == ConversationStatus.FAILED:
                return ConversationStatus.FAILED  # dead letter: attempts exhausted, error recorded
        raise self.retry(exc=exc, countdown=min(60, 2 ** self.request.retries)) from exc


@celery_app.task(name=REINSPECT_TASK, bind=True, acks_late=True, max_retries=None)
def reinspect_task(self: Task, item_id: int) -> str:
    """One conversation of a re-inspection run (`api.jobs.reinspection`), same contract."""
    runtime = worker_runtime()
    try:
        return reinspect_item(runtime, item_id)
    except NotFoundError:
        logger.warning("重新质检任务 %s 不存在，忽略", item_id)
        return "missing"
    except Exception as exc:
        if not still_pending(runtime, item_id):
            return "failed"  # attempts exhausted, error recorded on the item
        raise self.retry(exc=exc, countdown=min(60, 2 ** self.request.retries)) from exc


def start_worker(settings: Settings, *, concurrency: int) -> None:
    """Run a Celery worker on the settings' broker and queue (prefork: one runtime per process)
    until it is stopped."""
    app = configure_celery(settings)
    app.worker_main(["worker", "--loglevel=INFO", f"--concurrency={concurrency}",
                     f"--queues={settings.queue_name}", "--pool=prefork"])
