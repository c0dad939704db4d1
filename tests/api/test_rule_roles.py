"""Every state-changing rule-lifecycle route: reviewers (qa_reviewer, admin) may, agents and
supervisors may not (403, nothing written); a cookie session needs its CSRF token; each change
leaves an audit entry. Reads: supervisors may, agents may not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import func, select

from models import AuditEntry, session_scope
from tests.api.helpers import Users, auth, submit
from tests.api.http.browser_session import CSRF_HEADER, log_in, page_csrf_token
from tests.api.rule_helpers import (
    NEW_RULE_PACK,
    clean_body,
    database_url,  # noqa: F401  (a database of this module's own)
)

PERIOD = {"since": "2026-11-01", "until": "2026-11-30"}
Call = Callable[[TestClient, str], Any]


@pytest.fixture(scope="module")
def clean_call(client: TestClient, users: Users) -> str:
    record = submit(client, users.admin, clean_body("A050", "t5"))
    assert record["status"] == "done" and not record["findings"], record["findings"]
    return str(record["id"])


def routes(clean_call: str) -> dict[str, tuple[str, str, dict[str, Any] | None]]:
    """name → (method, path, JSON body)."""
    return {
        "upload": ("POST", "/api/rules/versions",
                   {"files": {"extra.yaml": NEW_RULE_PACK}, "comment": "roles"}),
        "dry_run": ("POST", "/api/rules/versions/2/dry-run", PERIOD),
        "publish": ("POST", "/api/rules/versions/2/publish", {"comment": ""}),
        "reinspect": ("POST", "/api/rules/reinspections", PERIOD),
        "draw": ("POST", "/api/rules/samples", {**PERIOD, "share": 1.0}),
        "miss": ("POST", "/api/rules/misses",
                 {"conversation_id": clean_call, "rule_id": "svc.greeting", "comment": "漏检"}),
        "clean": ("POST", f"/api/rules/samples/{clean_call}/clean", None),
    }


def audit_count(client: TestClient) -> int:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        return int(session.exec(select(func.count()).select_from(AuditEntry)).one())


@pytest.mark.parametrize("role", ["agent", "supervisor"])
def test_agents_and_supervisors_may_change_nothing(client: TestClient, users: Users,
                                                   clean_call: str, role: str) -> None:
    token = getattr(users, role)
    before = audit_count(client)
    for name, (method, path, body) in routes(clean_call).items():
        response = client.request(method, path, json=body, headers=auth(token))
        assert response.status_code == 403, (name, response.text)
    assert audit_count(client) == before
    assert client.post("/api/rules/validate", content=NEW_RULE_PACK.encode(),
                       headers=auth(token)).status_code == 403


def test_a_cookie_session_needs_the_csrf_token(client: TestClient, users: Users,
                                               clean_call: str) -> None:
    browser = log_in(client.app, users.reviewer)  # type: ignore[arg-type]
    before = audit_count(client)
    for name, (method, path, body) in routes(clean_call).items():
        response = browser.request(method, path, json=body)
        assert response.status_code == 403 and "CSRF" in response.json()["detail"], name
    assert audit_count(client) == before
    token = page_csrf_token(browser, "/rules/versions")
    drawn = browser.post("/api/rules/samples", json={**PERIOD, "share": 1.0},
                         headers={CSRF_HEADER: token})
    assert drawn.status_code == 201, drawn.text


@pytest.mark.parametrize("role", ["reviewer", "admin"])
def test_reviewers_and_admins_may_and_each_change_is_audited(
        client: TestClient, users: Users, clean_call: str, role: str) -> None:
    token = getattr(users, role)
    allowed = {"upload": {201, 409}, "dry_run": {200}, "publish": {200, 409},
               "reinspect": {202}, "draw": {201}, "miss": {201}, "clean": {200, 409}}
    for name, (method, path, body) in routes(clean_call).items():
        before = audit_count(client)
        response = client.request(method, path, json=body, headers=auth(token))
        assert response.status_code in allowed[name], (name, response.text)
        if response.status_code < 300:
            assert audit_count(client) > before, name


def test_reads_are_for_supervisors_and_reviewers(client: TestClient, users: Users) -> None:
    for path in ("/api/rules/versions", "/api/rules/publications", "/api/rules/samples",
                 "/api/rules/stats", "/api/rules/versions/1"):
        assert client.get(path, headers=auth(users.agent)).status_code == 403, path
        assert client.get(path, headers=auth(users.supervisor)).status_code == 200, path


def test_bad_input_is_named(client: TestClient, users: Users, clean_call: str) -> None:
    token = auth(users.reviewer)
    cases = [
        ("/api/rules/versions/999/dry-run", PERIOD, 404, "999"),
        ("/api/rules/versions/1/dry-run", {"since": "2026-11-30", "until": "2026-11-01"}, 422,
         "早于"),
        ("/api/rules/misses", {"conversation_id": clean_call, "rule_id": "no.such"}, 422,
         "no.such"),
        ("/api/rules/misses", {"conversation_id": clean_call, "rule_id": "svc.greeting",
                               "utterance_index": 99}, 422, "utterance_index"),
        ("/api/rules/misses", {"conversation_id": "c-none", "rule_id": "svc.greeting"}, 404,
         "c-none"),
        ("/api/rules/versions", {"files": {}}, 422, "files"),
    ]
    for path, body, status, named in cases:
        response = client.post(path, json=body, headers=token)
        assert response.status_code == status and named in response.json()["detail"], \
            (path, response.text)
