"""The Celery app of scale-out mode, configured from `Settings`: acks late and rejects on a lost
worker, so a job whose worker dies is delivered again (the job is idempotent)."""

from __future__ import annotations

from celery import Celery

from api.settings import Settings

INSPECT_TASK = "zhijian.inspect"
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
