"""Celery worker for scale-out: `zhijian worker`. Same job function as in-process mode.

Acks late and rejects on a lost worker, so a job whose worker dies is delivered again; the job
is idempotent, so the conversation still ends `done` exactly once. One set of models per
worker process, loaded on first use.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from celery import Celery, Task

from api.settings import Settings, get_settings
from inspection.errors import NotFoundError

logger = logging.getLogger(__name__)
celery_app = Celery("zhijian")


def configure_celery(settings: Settings) -> Celery:
    celery_app.conf.update(
        broker_url=settings.broker_url,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_default_queue=settings.queue_name,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return celery_app


@cache
def _services() -> Any:
    from api.services import build_services

    return build_services(get_settings())


@celery_app.task(name="zhijian.inspect", bind=True, acks_late=True, max_retries=None)
def inspect_task(self: Task, conversation_id: str) -> str:
    from api.jobs import run_inspection_job

    services = _services()
    try:
        return run_inspection_job(services, conversation_id)
    except NotFoundError:
        logger.warning("会话 %s 不存在，忽略", conversation_id)
        return "missing"
    except Exception as exc:
        from models import Conversation, session_scope

        with session_scope(services.engine) as session:
            row = session.get(Conversation, conversation_id)
            if row is None or row.status == "failed":
                return "failed"  # dead letter: attempts exhausted, error recorded
        raise self.retry(exc=exc, countdown=min(60, 2 ** self.request.retries)) from exc
