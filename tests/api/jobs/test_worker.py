"""Scale-out jobs: Celery workers over the real Redis, a worker killed mid-job, dead letters."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from sqlmodel import col, select

from api.http.app import create_app
from api.jobs.runner import InProcessJobs
from api.runtime import build_runtime, open_database
from api.settings import Settings
from models import AuditEntry, Conversation, session_scope
from models.queries import utterances_of
from tests.api.helpers import Users, auth, conversation_body, wait_done
from tests.inspection.transcription.audio_builders import compose_call

REDIS_URL = "redis://127.0.0.1:6379/15"
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]


@pytest.fixture(scope="module")
def redis_ready() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at 127.0.0.1:6379 ({exc}); start it (.ci/run) — "
                    "the Celery tests must not be skipped")


@pytest.fixture
def celery_settings(redis_ready: None, postgres_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=postgres_url, broker_url=REDIS_URL,
                    queue_name=f"zhijian-test-{uuid.uuid4().hex[:8]}", sentiment_enabled=False,
                    job_max_attempts=3)


def _environment(settings: Settings) -> dict[str, str]:
    return {**os.environ, "ZHIJIAN_DATABASE_URL": str(settings.database_url),
            "ZHIJIAN_BROKER_URL": str(settings.broker_url), "ZHIJIAN_QUEUE_NAME": settings.queue_name,
            "ZHIJIAN_DATA_DIR": str(settings.data_dir), "ZHIJIAN_SENTIMENT_ENABLED": "false",
            "HF_HUB_OFFLINE": "1", "XDG_CACHE_HOME": str(settings.data_dir / "cache")}


@pytest.fixture
def start_worker(celery_settings: Settings) -> Iterator[object]:
    workers: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        log = (celery_settings.data_dir / f"worker{len(workers)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "zhijian", "worker", "--concurrency", "1"],
            env=_environment(celery_settings), stdout=log, stderr=subprocess.STDOUT)
        workers.append(process)
        return process

    yield start
    for process in workers:
        process.kill()
        process.wait(timeout=30)


def _status(settings: Settings, conversation_id: str) -> tuple[str, int]:
    engine = open_database(settings)
    with session_scope(engine) as session:
        row = session.get(Conversation, conversation_id)
        return (row.status, row.attempts) if row else ("missing", 0)


def test_celery_worker_inspects_a_chat_conversation(celery_settings: Settings,
                                                    start_worker: object) -> None:
    with TestClient(create_app(celery_settings)) as client:
        users = Users(client)
        body = conversation_body()
        assert client.post("/api/conversations", json=body,
                           headers=auth(users.admin)).status_code == 201
        start_worker()  # type: ignore[operator]
        record = wait_done(client, body["id"], users.admin, timeout=120)
    assert record["status"] == "done", record
    assert "fin.guaranteed_return" in {f["rule_id"] for f in record["findings"]}


def test_worker_killed_mid_job_still_ends_done_exactly_once(
    celery_settings: Settings, start_worker: object, shared_data: Path, tmp_path: Path
) -> None:
    call = compose_call(shared_data / "speech", tmp_path / "call.wav")
    with TestClient(create_app(celery_settings)) as client:
        users = Users(client)
        with call.path.open("rb") as audio:
            response = client.post(
                "/api/conversations", headers=auth(users.admin),
                files={"file": ("call.wav", audio, "audio/wav")},
                data={"metadata": json.dumps({"id": "killed-call", "agent_id": "A017"})})
        assert response.status_code == 201, response.text
        worker = start_worker()  # type: ignore[operator]
        _wait_for_status(celery_settings, "killed-call", "transcribing")
        _kill_pool_children(worker.pid)
        record = wait_done(client, "killed-call", users.admin, timeout=240)
    assert record["status"] == "done", record
    _, attempts = _status(celery_settings, "killed-call")
    assert attempts >= 2
    engine = open_database(celery_settings)
    with session_scope(engine) as session:
        scored = session.exec(select(AuditEntry).where(
            AuditEntry.entity_id == "killed-call",
            col(AuditEntry.action) == "conversation.scored")).all()
        indexes = [u.index for u in utterances_of(session, conversation_id="killed-call")]
    assert len(scored) == 1
    assert indexes == sorted(set(indexes)) and indexes


def _wait_for_status(settings: Settings, conversation_id: str, wanted: str,
                     timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while _status(settings, conversation_id)[0] != wanted:
        assert time.monotonic() < deadline, f"never reached {wanted}"
        time.sleep(0.05)


def _kill_pool_children(parent_pid: int) -> None:
    children = Path(f"/proc/{parent_pid}/task/{parent_pid}/children").read_text().split()
    assert children, "the worker has no pool process to kill"
    for child in children:
        os.kill(int(child), signal.SIGKILL)


def test_job_that_keeps_failing_lands_in_failed_with_its_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, sentiment_enabled=False, job_max_attempts=2)
    runtime = build_runtime(settings)
    with session_scope(runtime.engine) as session:
        session.add(Conversation(id="broken", body_hash="x", channel="chat", direction="inbound",
                                 source={"id": "broken", "utterances": []}))
    jobs = InProcessJobs(runtime)
    jobs.submit("broken")
    deadline = time.monotonic() + 30
    while _status(settings, "broken")[0] != "failed":
        assert time.monotonic() < deadline, _status(settings, "broken")
        time.sleep(0.05)
    jobs.shutdown()
    with session_scope(runtime.engine) as session:
        row = session.get(Conversation, "broken")
        assert row is not None and row.attempts == 2
        assert row.error and "utterances" in row.error
