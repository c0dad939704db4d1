"""The two ways to run the inspection job, behind one `JobQueue`.

Embedded: `InProcessJobs`, a thread pool in the API process, with retries and back-off.
Scale-out (`ZHIJIAN_BROKER_URL` set): `CeleryJobs`, which sends the id to `zhijian worker`
processes over the broker. Either way the job is `run_inspection_job`, and after a restart
`resume_unfinished` queues again what was received but never finished.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from sqlmodel import col, select

from api.jobs.celery_app import INSPECT_TASK, configure_celery
from api.jobs.inspection_job import run_inspection_job
from api.runtime import Runtime
from models import Conversation, session_scope
from models.enums import UNFINISHED, ConversationStatus
from models.errors import NotFoundError


class JobQueue(Protocol):
    def submit(self, conversation_id: str) -> None: ...

    def shutdown(self) -> None: ...


class InProcessJobs:
    """A thread pool in this process; a failed attempt is retried with back-off until the job
    records itself `failed`."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._pool = ThreadPoolExecutor(max_workers=runtime.settings.job_workers,
                                        thread_name_prefix="zhijian-job")
        self._closed = threading.Event()

    def submit(self, conversation_id: str) -> None:
        if not self._closed.is_set():
            self._pool.submit(self._run, conversation_id)

    def _run(self, conversation_id: str) -> None:
        try:
            run_inspection_job(self.runtime, conversation_id)
        except NotFoundError:
            return
        except Exception:
            with session_scope(self.runtime.engine) as session:
                row = session.get(Conversation, conversation_id)
                retry = row is not None and row.status == ConversationStatus.RECEIVED
                attempts = row.attempts if row else 0
            if retry and not self._closed.is_set():
                time.sleep(min(30.0, 0.5 * 2 ** attempts))
                self.submit(conversation_id)

    def shutdown(self) -> None:
        self._closed.set()
        self._pool.shutdown(wait=True, cancel_futures=True)


class CeleryJobs:
    """Hands each job to `zhijian worker` processes over the broker."""

    def __init__(self, runtime: Runtime) -> None:
        self.app = configure_celery(runtime.settings)

    def submit(self, conversation_id: str) -> None:
        self.app.send_task(INSPECT_TASK, args=[conversation_id],
                           queue=self.app.conf.task_default_queue)

    def shutdown(self) -> None:
        return None


def make_job_queue(runtime: Runtime) -> JobQueue:
    return CeleryJobs(runtime) if runtime.settings.broker_url else InProcessJobs(runtime)


def resume_unfinished(runtime: Runtime, jobs: JobQueue) -> int:
    """After a restart, queue again what was received but never finished."""
    with session_scope(runtime.engine) as session:
        ids = list(session.exec(select(Conversation.id).where(
            col(Conversation.status).in_(UNFINISHED))))
    for conversation_id in ids:
        jobs.submit(conversation_id)
    return len(ids)
