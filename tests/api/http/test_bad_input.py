"""Bad input gets a 4xx naming the problem, never a 500 (issue 15 items 11-13): naive and
out-of-range times, deep nesting, lone surrogates, ids that break URLs, a non-string agent id,
bodies over the limit read only up to it, and a YAML alias bomb."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.services.tickets import MAX_TICKETS_BYTES
from tests.api.helpers import Users, auth, conversation_body, submit

JSON = {"content-type": "application/json"}


def _post(client: TestClient, token: str, body: object) -> tuple[int, str]:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.post("/api/conversations", content=content,
                           headers={**auth(token), **JSON})
    return response.status_code, response.json().get("detail", "")


def test_a_naive_start_time_is_read_in_asia_shanghai(client: TestClient, users: Users) -> None:
    record = submit(client, users.admin, conversation_body(started_at="2026-11-05T10:00:00"))
    started = datetime.fromisoformat(record["started_at"].replace("Z", "+00:00"))
    assert started == datetime.fromisoformat("2026-11-05T10:00:00+08:00")


def test_the_upload_pages_csv_conversion_is_accepted(client: TestClient, users: Users) -> None:
    """What the upload page does with a chat CSV: convert, then submit each conversation."""
    conversation_id = f"csv-{uuid.uuid4().hex[:8]}"
    csv_text = ("conversation_id,role,timestamp,text,agent_id\n"
                f"{conversation_id},agent,2026-11-04 20:15:03,您好，请问有什么可以帮您,A017\n"
                f"{conversation_id},customer,2026-11-04 20:15:09,我想查账单,A017\n")
    converted = client.post("/pages/api/chat-csv?filename=chat.csv", content=csv_text.encode(),
                            headers=auth(users.admin))
    assert converted.status_code == 200, converted.text
    for item in converted.json():
        status, detail = _post(client, users.admin, item)
        assert status == 201, detail


@pytest.mark.parametrize(("started_at", "message"), [
    ("0001-01-01T00:00:00+08:00", "started_at"),
    ("9999-12-31T23:59:59-08:00", "started_at"),
    ("0001-01-01T00:00:00", "started_at"),
])
def test_start_times_out_of_range_are_422(client: TestClient, users: Users, started_at: str,
                                          message: str) -> None:
    status, detail = _post(client, users.admin, conversation_body(started_at=started_at))
    assert status == 422 and message in detail


def test_deep_nesting_is_422(client: TestClient, users: Users) -> None:
    deep: dict[str, object] = {}
    inner = deep
    for _ in range(300):
        inner["a"] = {}
        inner = inner["a"]  # type: ignore[assignment]
    status, detail = _post(client, users.admin, conversation_body(metadata=deep))
    assert status == 422 and "metadata" in detail and "嵌套" in detail
    status, detail = _post(client, users.admin, b"[" * 100_000 + b"]" * 100_000)
    assert status == 422 and "嵌套" in detail


def test_a_lone_surrogate_is_422(client: TestClient, users: Users) -> None:
    body = json.dumps(conversation_body(), ensure_ascii=False).replace("您好", "\\ud800您好", 1)
    status, detail = _post(client, users.admin, body.encode())
    assert status == 422 and "Unicode" in detail
    emoji = json.dumps(conversation_body(), ensure_ascii=False).replace("您好", "\\ud83d\\ude00您好", 1)
    assert _post(client, users.admin, emoji.encode())[0] == 201


@pytest.mark.parametrize("bad_id", ["a/b", "a\\b", "a?b", "a#b", "a%2Fb", "a b", "..", "a\nb"])
def test_ids_that_break_urls_are_refused(client: TestClient, users: Users, bad_id: str) -> None:
    status, detail = _post(client, users.admin, conversation_body(id=bad_id))
    assert status == 422 and "id" in detail
    response = client.post("/api/conversations", headers=auth(users.admin),
                           files={"file": ("call.wav", b"RIFF", "audio/wav")},
                           data={"metadata": json.dumps({"id": bad_id})})
    assert response.status_code == 422 and "id" in response.json()["detail"]


@pytest.mark.parametrize("field", ["agent_id", "team"])
@pytest.mark.parametrize("value", [{"x": 1}, [1, 2], True, 1.5])
def test_metadata_agent_and_team_must_be_strings(client: TestClient, users: Users, field: str,
                                                 value: object) -> None:
    body = conversation_body(agent_id=None, metadata={field: value})
    status, detail = _post(client, users.admin, body)
    assert status == 422 and f"metadata.{field}" in detail


def test_an_agent_id_too_long_for_the_table_is_422(client: TestClient, users: Users) -> None:
    status, detail = _post(client, users.admin, conversation_body(agent_id="A" * 101))
    assert status == 422 and "agent_id" in detail


def test_list_filters_take_naive_and_refuse_out_of_range_times(client: TestClient,
                                                               users: Users) -> None:
    response = client.get("/api/conversations", params={"since": "2026-11-01T00:00:00"},
                          headers=auth(users.admin))
    assert response.status_code == 200, response.text
    response = client.get("/api/conversations", params={"since": "0001-01-01T00:00:00+08:00"},
                          headers=auth(users.admin))
    assert response.status_code == 422 and "since" in response.json()["detail"]


def _post_chunked(app: Any, path: str, token: str, *, total: int, chunk: int = 64 * 1024
                  ) -> tuple[int, int]:
    """POST `total` bytes in chunks straight to the ASGI app (no Content-Length, as a
    chunked upload): (status, bytes the app asked for before answering)."""
    received = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal received
        received += chunk
        return {"type": "http.request", "body": b"a" * chunk, "more_body": received < total}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "server": ("testserver", 80), "client": ("127.0.0.1", 1),
             "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())]}
    asyncio.run(app(scope, receive, send))
    return status, received


@pytest.mark.parametrize(("path", "limit"), [("/api/tickets", MAX_TICKETS_BYTES),
                                             ("/api/rules/validate", 1024 * 1024)])
def test_bodies_are_read_only_up_to_the_limit(client: TestClient, users: Users, path: str,
                                              limit: int) -> None:
    claimed = client.post(path, content=b"x",
                          headers={**auth(users.admin), "content-length": str(500 * 2**20)})
    assert claimed.status_code == 413 and "上限" in claimed.json()["detail"]
    status, received = _post_chunked(client.app, path, users.admin, total=limit + 8 * 2**20)
    assert status == 413
    assert received <= limit + 64 * 1024


def test_a_yaml_alias_bomb_is_refused_quickly(client: TestClient, users: Users) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 10):
        refs = ",".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    bomb = ("\n".join(lines) + "\n").encode()
    started = time.monotonic()
    response = client.post("/api/rules/validate", content=bomb, headers=auth(users.reviewer))
    assert time.monotonic() - started < 2.0
    assert response.status_code in (200, 422), response.text
    body = response.json()
    message = body.get("detail") or ""
    assert body.get("valid") is False or response.status_code == 422
    assert "别名" in message or "alias" in message
