"""`zhijian users create`, `zhijian audit verify` and `zhijian serve` as a user runs them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from api.runtime import open_database
from api.settings import Settings
from models import AuditEntry, session_scope
from models.queries import append_audit


def zhijian(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZHIJIAN_DATA_DIR": str(data_dir), "ZHIJIAN_SENTIMENT_ENABLED": "false"}
    return subprocess.run([sys.executable, "-m", "zhijian", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_users_create_prints_the_token_last(tmp_path: Path) -> None:
    result = zhijian(tmp_path, "users", "create", "--role", "agent", "--agent-id", "A017")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert token.startswith("zj_") and len(token) > 30
    missing = zhijian(tmp_path, "users", "create", "--role", "agent")
    assert missing.returncode == 2 and "--agent-id" in missing.stderr


def test_audit_verify_detects_tampering(tmp_path: Path) -> None:
    engine = open_database(Settings(data_dir=tmp_path))
    with session_scope(engine) as session:
        for score in (0, 80, 95):
            append_audit(session, actor="qa:test#1", action="conversation.rescored",
                         entity="conversation", entity_id="c-1", before=None,
                         after={"score": score})
    intact = zhijian(tmp_path, "audit", "verify")
    assert intact.returncode == 0 and "3 条记录" in intact.stdout
    with session_scope(engine) as session:
        entry = session.get(AuditEntry, 2)
        assert entry is not None
        entry.after = {"score": 100}
        session.add(entry)
    tampered = zhijian(tmp_path, "audit", "verify")
    assert tampered.returncode == 1 and "第 2 条" in tampered.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_serve_with_examples_inspects_them(tmp_path: Path, examples_dir: Path) -> None:
    port = _free_port()
    env = {**os.environ, "ZHIJIAN_DATA_DIR": str(tmp_path), "ZHIJIAN_SENTIMENT_ENABLED": "false"}
    server = subprocess.Popen(
        [sys.executable, "-m", "zhijian", "serve", "--port", str(port),
         "--load-examples", str(examples_dir)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        token = _token_from(server)
        headers = {"Authorization": f"Bearer {token}"}
        _wait_listening(port)
        deadline = time.monotonic() + 60
        while True:
            listed = httpx.get(f"http://127.0.0.1:{port}/api/conversations",
                               params={"status": "done"}, headers=headers, timeout=5).json()
            if len(listed) >= 6 or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert len(listed) == 6
        assert {c["id"] for c in listed} >= {"c-20261101-0001", "chat-20261104-0102"}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_listening(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return
        except httpx.TransportError:
            assert time.monotonic() < deadline, "server never started listening"
            time.sleep(0.2)


def _token_from(server: subprocess.Popen[str]) -> str:
    assert server.stderr is not None
    deadline = time.monotonic() + 60
    lines = []
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        lines.append(line)
        if line.startswith("zj_"):
            return line.strip()
    raise AssertionError("no token printed: " + "".join(lines))
