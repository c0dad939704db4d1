"""Helpers for the service tests: users of each role, request bodies, waiting for jobs."""

from __future__ import annotations

import time
import uuid
from typing import Any

from fastapi.testclient import TestClient

from api.services.users import create_user
from models import session_scope


class Users:
    """Tokens for one user of each role (agents A017/A023 in teams t1/t2)."""

    def __init__(self, client: TestClient) -> None:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        with session_scope(runtime.engine) as session:
            self.admin = create_user(session, name="admin", role="admin")[1]
            self.reviewer = create_user(session, name="qa", role="qa_reviewer")[1]
            self.supervisor = create_user(session, name="sup", role="supervisor",
                                          team_id="t1")[1]
            self.agent = create_user(session, name="a17", role="agent", agent_id="A017",
                                     team_id="t1")[1]
            self.other_agent = create_user(session, name="a23", role="agent", agent_id="A023",
                                           team_id="t2")[1]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def conversation_body(agent_id: str = "A017", team: str = "t1", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": f"c-{uuid.uuid4().hex[:12]}",
        "channel": "voice",
        "direction": "outbound",
        "industry": "finance",
        "agent_id": agent_id,
        "started_at": "2026-11-01T10:05:00+08:00",
        "metadata": {"team": team, "call_type": "sales"},
        "utterances": [
            {"role": "agent", "start": 0, "end": 4, "text": "您好，我是XX银行理财经理小陈，本次通话将被录音"},
            {"role": "customer", "start": 4.5, "end": 6, "text": "这个产品会亏吗"},
            {"role": "agent", "start": 6.5, "end": 10, "text": "您放心，这个是保本的，稳赚不赔"},
            {"role": "agent", "start": 10.5, "end": 13, "text": "感谢您的接听，再见"},
        ],
    }
    body.update(changes)
    return body


def wait_done(client: TestClient, conversation_id: str, token: str,
              timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        record: dict[str, Any] = client.get(f"/api/conversations/{conversation_id}",
                                            headers=auth(token)).json()
        if record.get("status") in ("done", "failed") or time.monotonic() > deadline:
            return record
        time.sleep(0.05)


def submit(client: TestClient, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/conversations", json=body, headers=auth(token))
    assert response.status_code == 201, response.text
    return wait_done(client, body["id"], token)
