"""Re-inspection in scale-out mode: the API process publishes version 2 and queues the items
over the real Redis; a `zhijian worker` process (started before the publication, so still on
version 1) re-inspects them with the run's version and reviews stay attached."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.settings import Settings
from tests.api.conftest import POSTGRES_ADMIN_URL
from tests.api.helpers import Users, auth, conversation_body, wait_done
from tests.api.rule_helpers import EXTRA_PACK, NEW_RULE, NEW_RULE_PACK, PROMISE, upload, wait_reinspection

REDIS_URL = "redis://127.0.0.1:6379/15"
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.slow]
PERIOD = {"since": "2026-11-01", "until": "2026-11-30"}


@pytest.fixture
def celery_settings(tmp_path: Path) -> Iterator[Settings]:
    """A database of its own (publishing changes what every process on it runs)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable ({exc}): the Celery tests must not be skipped")
    name = f"zhijian_reinspect_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    yield Settings(data_dir=tmp_path, database_url=url, broker_url=REDIS_URL,
                   queue_name=f"zhijian-test-{uuid.uuid4().hex[:8]}", sentiment_enabled=False)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def worker(celery_settings: Settings) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "ZHIJIAN_DATABASE_URL": str(celery_settings.database_url),
           "ZHIJIAN_BROKER_URL": REDIS_URL, "ZHIJIAN_QUEUE_NAME": celery_settings.queue_name,
           "ZHIJIAN_DATA_DIR": str(celery_settings.data_dir),
           "ZHIJIAN_SENTIMENT_ENABLED": "false", "HF_HUB_OFFLINE": "1"}
    log = (celery_settings.data_dir / "worker.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "zhijian", "worker", "--concurrency", "1"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    yield process
    process.kill()
    process.wait(timeout=30)


def test_a_celery_worker_reinspects_with_the_published_version(
        celery_settings: Settings, worker: subprocess.Popen[bytes]) -> None:
    with TestClient(create_app(celery_settings)) as client:
        users = Users(client)
        body = conversation_body()
        body["utterances"][2]["text"] = PROMISE
        assert client.post("/api/conversations", json=body,
                           headers=auth(users.admin)).status_code == 201
        record = wait_done(client, body["id"], users.admin, timeout=120)
        assert record["status"] == "done" and NEW_RULE not in {f["rule_id"]
                                                               for f in record["findings"]}
        veto = next(f for f in record["findings"] if f["rule_id"] == "fin.guaranteed_return")
        client.post(f"/api/findings/{veto['id']}/review", json={"decision": "confirm"},
                    headers=auth(users.reviewer))
        assert upload(client, users.reviewer, {EXTRA_PACK: NEW_RULE_PACK}).status_code == 201
        for step, payload in (("dry-run", PERIOD), ("publish", {})):
            response = client.post(f"/api/rules/versions/2/{step}", json=payload,
                                   headers=auth(users.reviewer))
            assert response.status_code == 200, response.text
        run = client.post("/api/rules/reinspections", json=PERIOD, headers=auth(users.reviewer))
        assert run.status_code == 202, run.text
        done = wait_reinspection(client, users.reviewer, run.json()["id"], timeout=120)
        assert done["progress"] == {"pending": 0, "done": 1, "failed": 0, "total": 1}
        after = client.get(f"/api/conversations/{body['id']}", headers=auth(users.admin)).json()
    assert [f["ruleset_version"] for f in after["findings"] if f["rule_id"] == NEW_RULE] == [2]
    kept = next(f for f in after["findings"] if f["id"] == veto["id"])
    assert kept["review_state"] == "confirmed"
