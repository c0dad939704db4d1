"""Helpers for the rule-lifecycle tests: a database of their own (publishing a version changes
what every later app on that database runs), a changed pack, waiting for a re-inspection."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import POSTGRES_ADMIN_URL
from tests.api.helpers import auth, conversation_body

EXTRA_PACK = "extra.yaml"
NEW_RULE = "test.reckless_promise"
NEW_RULE_PACK = f"""\
pack: extra
precision_alert: 0.9
rules:
  - id: {NEW_RULE}
    version: 1
    name: 夸大承诺
    description: 坐席说"绝对靠谱"
    category: compliance
    severity: major
    deduction: 10
    type: keyword
    keywords: [绝对靠谱]
    examples:
      hit: [这个产品绝对靠谱]
      miss: [这个产品有风险]
"""
PROMISE = "您放心，这个是保本的，绝对靠谱"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[str]:
    """A fresh database per test module, on SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'zhijian.db'}"
        return
    name = f"zhijian_rules_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable ({exc}): these tests must not be skipped")
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def upload(client: TestClient, token: str, files: dict[str, str | None], **extra: Any
           ) -> Any:
    return client.post("/api/rules/versions", json={"files": files, **extra},
                       headers=auth(token))


def wait_reinspection(client: TestClient, token: str, run_id: int,
                      timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        run: dict[str, Any] = client.get(f"/api/rules/reinspections/{run_id}",
                                         headers=auth(token)).json()
        if run["progress"]["pending"] == 0 or time.monotonic() > deadline:
            return run
        time.sleep(0.05)


def clean_body(agent_id: str, team: str, **changes: Any) -> dict[str, Any]:
    """An inbound call the bundled packs find nothing in."""
    body = conversation_body(agent_id=agent_id, team=team, direction="inbound",
                             metadata={"team": team}, **changes)
    body["utterances"] = [
        {"role": "agent", "start": 0, "end": 9,
         "text": "您好，我是XX银行客服小陈，工号8027，本次通话将被录音"},
        {"role": "customer", "start": 9.5, "end": 11, "text": "我想查账单"},
        {"role": "agent", "start": 11.5, "end": 22,
         "text": "好的，已经发到您手机上了，还有其他问题吗？感谢您的来电，再见"}]
    return body
