"""Server-side sessions and API tokens (issue 15 item 7): the cookie holds a random session id
stored only hashed, logout and expiry end it, tokens expire and are revoked, and a revocation
or a role change holds from the very next request (no cache window)."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import select

from api.runtime import open_database
from api.services.users import create_user, revoke_user
from api.settings import Settings
from models import User, session_scope
from models.credentials import LoginSession
from tests.api.helpers import Users, auth
from tests.api.http.browser_session import SESSION_COOKIE, log_in, page_csrf_token, replay


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _new_user(client: TestClient, role: str = "admin", **scope: str) -> tuple[int, str]:
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        user, token = create_user(session, name=f"{role}-s", role=role, **scope)
        assert user.id is not None
        return user.id, token


def test_the_cookie_is_a_random_session_id_stored_only_hashed(client: TestClient,
                                                                users: Users) -> None:
    browser = log_in(client.app, users.reviewer)  # type: ignore[arg-type]
    session_id = browser.cookies[SESSION_COOKIE]
    assert session_id != users.reviewer and users.reviewer not in session_id
    assert len(session_id) >= 32
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        stored = {row.id_hash for row in session.exec(select(LoginSession))}
    assert _sha256(session_id) in stored and session_id not in stored
    assert browser.get("/api/conversations").status_code == 200
    again = log_in(client.app, users.reviewer)  # type: ignore[arg-type]
    assert again.cookies[SESSION_COOKIE] != session_id  # a new id per login


def test_logout_ends_the_session_on_the_server(client: TestClient, users: Users) -> None:
    browser = log_in(client.app, users.reviewer)  # type: ignore[arg-type]
    session_id = browser.cookies[SESSION_COOKIE]
    token = page_csrf_token(browser)
    response = browser.post("/logout", data={"csrf_token": token},
                            headers={"Origin": "http://testserver"})
    assert response.status_code == 303 and response.headers["location"] == "/login"
    stolen = replay(client.app, session_id)  # type: ignore[arg-type]
    assert stolen.get("/api/conversations").status_code == 401
    page = stolen.get("/review")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_sessions_expire_when_idle_and_after_the_absolute_limit(client: TestClient,
                                                                 users: Users) -> None:
    settings = client.app.state.runtime.settings  # type: ignore[attr-defined]
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    for column, age in (("last_seen_at", timedelta(minutes=settings.session_idle_minutes + 1)),
                        ("created_at", timedelta(hours=settings.session_absolute_hours, minutes=1))):
        browser = log_in(client.app, users.reviewer)  # type: ignore[arg-type]
        assert browser.get("/api/conversations").status_code == 200
        with session_scope(engine) as session:
            row = session.get(LoginSession, _sha256(browser.cookies[SESSION_COOKIE]))
            assert row is not None
            setattr(row, column, datetime.now(UTC) - age)
            session.add(row)
        assert browser.get("/api/conversations").status_code == 401, column


def test_tokens_expire(client: TestClient) -> None:
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        user, token = create_user(session, name="temp", role="qa_reviewer", expires_days=2)
        expires = user.token_expires_at
        assert expires is not None
        left = expires.replace(tzinfo=expires.tzinfo or UTC) - datetime.now(UTC)
        assert timedelta(days=1, hours=23) < left <= timedelta(days=2)
    assert client.get("/api/conversations", headers=auth(token)).status_code == 200
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        row = session.get(User, user.id)
        assert row is not None
        row.token_expires_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(row)
    response = client.get("/api/conversations", headers=auth(token))
    assert response.status_code == 401 and "过期" in response.json()["detail"]


def test_revocation_holds_from_the_next_request(client: TestClient) -> None:
    user_id, token = _new_user(client)
    browser = log_in(client.app, token)  # type: ignore[arg-type]
    assert client.get("/api/conversations", headers=auth(token)).status_code == 200
    assert browser.get("/api/conversations").status_code == 200
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        revoke_user(session, user_id=user_id)
    response = client.get("/api/conversations", headers=auth(token))
    assert response.status_code == 401 and "吊销" in response.json()["detail"]
    assert browser.get("/api/conversations").status_code == 401


def test_a_role_change_holds_from_the_next_request(client: TestClient) -> None:
    user_id, token = _new_user(client, "qa_reviewer")
    assert client.get("/api/review-queue", headers=auth(token)).status_code == 200
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        row = session.get(User, user_id)
        assert row is not None
        row.role, row.agent_id = "agent", "A017"
        session.add(row)
    assert client.get("/api/review-queue", headers=auth(token)).status_code == 403


def _zhijian(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZHIJIAN_DATA_DIR": str(data_dir), "ZHIJIAN_SENTIMENT_ENABLED": "false"}
    return subprocess.run([sys.executable, "-m", "zhijian", "users", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_users_list_revoke_and_rotate_on_the_command_line(tmp_path: Path) -> None:
    created = _zhijian(tmp_path, "create", "--role", "qa_reviewer", "--name", "张三",
                       "--expires-days", "30")
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    listed = _zhijian(tmp_path, "list")
    assert listed.returncode == 0, listed.stderr
    assert "张三" in listed.stdout and "qa_reviewer" in listed.stdout
    assert token not in listed.stdout and _sha256(token) not in listed.stdout
    engine = open_database(Settings(data_dir=tmp_path))

    def active(secret: str) -> bool:
        with session_scope(engine) as session:
            row = session.exec(select(User).where(User.token_hash == _sha256(secret))).first()
            return row is not None and row.revoked_at is None

    assert active(token)
    rotated = _zhijian(tmp_path, "rotate", "张三")
    assert rotated.returncode == 0, rotated.stderr
    new_token = rotated.stdout.strip().splitlines()[-1]
    assert new_token != token and active(new_token) and not active(token)
    revoked = _zhijian(tmp_path, "revoke", "张三")
    assert revoked.returncode == 0 and "张三" in revoked.stdout, revoked.stderr
    assert not active(new_token)
    assert "已吊销" in _zhijian(tmp_path, "list").stdout
    unknown = _zhijian(tmp_path, "revoke", "nobody")
    assert unknown.returncode == 2 and "nobody" in unknown.stderr
