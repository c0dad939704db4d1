"""CSRF (issue 15 item 8): a cookie-authenticated state change needs the session's CSRF token
and the server's own Origin; JSON only as application/json; the login form is protected too.
Bearer-token calls are not cookie sessions and need no CSRF token."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import Users, auth, conversation_body, submit
from tests.api.http.browser_session import (
    CSRF_HEADER,
    ORIGIN,
    SESSION_COOKIE,
    log_in,
    login_form_token,
    new_browser,
    page_csrf_token,
)

SAME_SITE_OTHER_PORT = "http://testserver:8081"  # another port on the same host: same site


def _stored(client: TestClient, users: Users, conversation_id: str) -> bool:
    response = client.get(f"/api/conversations/{conversation_id}", headers=auth(users.admin))
    return response.status_code == 200


def test_a_same_site_text_plain_post_with_only_the_cookie_is_refused(client: TestClient,
                                                                     users: Users) -> None:
    browser = log_in(client.app, users.admin)  # type: ignore[arg-type]
    body = conversation_body()
    response = browser.post("/api/conversations", content=json.dumps(body),
                            headers={"Content-Type": "text/plain", "Origin": SAME_SITE_OTHER_PORT})
    assert response.status_code == 403, response.text
    assert not _stored(client, users, body["id"])


def test_cookie_state_changes_need_the_sessions_csrf_token(client: TestClient,
                                                          users: Users) -> None:
    browser = log_in(client.app, users.admin)  # type: ignore[arg-type]
    token = page_csrf_token(browser)
    other_session = page_csrf_token(log_in(client.app, users.admin))  # type: ignore[arg-type]
    refused = [
        ({}, "CSRF"),
        ({CSRF_HEADER: "x" * 43}, "CSRF"),
        ({CSRF_HEADER: other_session}, "CSRF"),
        ({CSRF_HEADER: token, "Origin": SAME_SITE_OTHER_PORT}, "来源"),
        ({CSRF_HEADER: token, "Origin": "null"}, "来源"),
        ({CSRF_HEADER: token, "Referer": "http://evil.example/form"}, "来源"),
    ]
    for headers, message in refused:
        body = conversation_body()
        response = browser.post("/api/conversations", json=body, headers=headers)
        assert response.status_code == 403 and message in response.json()["detail"], headers
        assert not _stored(client, users, body["id"])
    body = conversation_body()
    response = browser.post("/api/conversations", json=body,
                            headers={CSRF_HEADER: token, "Origin": ORIGIN})
    assert response.status_code == 201, response.text
    assert browser.post("/api/conversations", json=conversation_body(),
                        headers={CSRF_HEADER: token}).status_code == 201  # no Origin: a token


@pytest.mark.parametrize("role", ["reviewer", "agent", "supervisor"])
def test_each_roles_state_changes_need_the_token(client: TestClient, users: Users,
                                                 role: str) -> None:
    """The reviewer's review, the agent's appeal and the supervisor's ticket import."""
    record = submit(client, users.admin, conversation_body(agent_id="A017", team="t1"))
    finding_id = record["findings"][0]["id"]
    path, body = {
        "reviewer": (f"/api/findings/{finding_id}/review", {"decision": "confirm"}),
        "agent": (f"/api/findings/{finding_id}/appeals", {"reason": "转写有误"}),
        "supervisor": ("/api/scorecards/snapshots?period=2026-11", None),
    }[role]
    own_page = f"/conversations/{record['id']}"
    browser = log_in(client.app, getattr(users, role))  # type: ignore[arg-type]
    assert browser.post(path, json=body).status_code == 403
    response = browser.post(path, json=body, headers={CSRF_HEADER: page_csrf_token(browser, own_page)})
    assert response.status_code in (200, 201), response.text


def test_json_only_as_application_json(client: TestClient, users: Users) -> None:
    record = submit(client, users.admin, conversation_body())
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {**auth(users.admin), **({"Content-Type": content_type} if content_type else {})}
        body = conversation_body()
        response = client.post("/api/conversations", content=json.dumps(body), headers=headers)
        assert response.status_code == 415, (content_type, response.text)
        assert "application/json" in response.json()["detail"]
        assert not _stored(client, users, body["id"])
        response = client.post(f"/api/findings/{record['findings'][0]['id']}/review",
                               content=json.dumps({"decision": "confirm"}),
                               headers={**auth(users.reviewer),
                                        **({"Content-Type": content_type} if content_type else {})})
        assert response.status_code == 415, (content_type, response.text)
    charset = client.post("/api/conversations", content=json.dumps(conversation_body()),
                          headers={**auth(users.admin),
                                   "Content-Type": "application/json; charset=utf-8"})
    assert charset.status_code == 201


def test_bearer_calls_need_no_csrf_token(client: TestClient, users: Users) -> None:
    response = client.post("/api/conversations", json=conversation_body(),
                           headers={**auth(users.admin), "Origin": SAME_SITE_OTHER_PORT})
    assert response.status_code == 201  # a cross-origin page cannot set Authorization


def test_a_cross_site_auto_submitted_login_is_refused(client: TestClient, users: Users) -> None:
    """An attacker's page posts its own token to /login from the victim's browser."""
    victim = new_browser(client.app)  # type: ignore[arg-type]
    forged = {"token": users.other_agent, "next": "/"}
    response = victim.post("/login", data=forged, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403 and SESSION_COOKIE not in victim.cookies
    # same site, no pre-session token: still refused
    response = victim.post("/login", data=forged, headers={"Origin": SAME_SITE_OTHER_PORT})
    assert response.status_code == 403 and SESSION_COOKIE not in victim.cookies
    # the victim has the form open: the attacker still cannot read its token
    login_form_token(victim)
    response = victim.post("/login", data={**forged, "csrf_token": "guess"},
                           headers={"Origin": ORIGIN})
    assert response.status_code == 403 and SESSION_COOKIE not in victim.cookies
    # with the form's token but from another origin
    token = login_form_token(victim)
    response = victim.post("/login", data={**forged, "csrf_token": token},
                           headers={"Origin": SAME_SITE_OTHER_PORT})
    assert response.status_code == 403 and SESSION_COOKIE not in victim.cookies
    assert "登录" in response.text


def test_logout_needs_the_token(client: TestClient, users: Users) -> None:
    browser = log_in(client.app, users.reviewer)  # type: ignore[arg-type]
    assert browser.post("/logout", headers={"Origin": ORIGIN}).status_code == 403
    assert browser.get("/api/conversations").status_code == 200


def test_the_pages_carry_the_token_in_forms_and_for_scripts(client: TestClient,
                                                          users: Users) -> None:
    browser = log_in(client.app, users.reviewer)  # type: ignore[arg-type]
    token = page_csrf_token(browser)
    page = browser.get("/review").text
    assert f'name="csrf_token" value="{token}"' in page  # the logout form
    assert token not in browser.cookies.values()  # not the session id
