"""Security headers on every response (issue 15 item 9), no inline script in the pages, and the
API's documentation for signed-in users only (item 10)."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.helpers import Users, auth
from tests.api.http.browser_session import log_in, new_browser

TEMPLATES = Path(__file__).resolve().parents[3] / "api" / "http" / "pages" / "templates"
STATIC_CSS = "/static/pages/pages.css"


def _directives(policy: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
            for part in policy.split(";") if part.strip()}


def _check_headers(response: object, what: str, *, no_store: bool = True) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    policy = _directives(headers.get("content-security-policy", ""))
    assert policy.get("default-src") == "'self'", (what, policy)
    assert policy.get("frame-ancestors") == "'none'", what
    assert "unsafe-inline" not in policy.get("script-src", "") and "script-src" in policy, what
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("x-frame-options") == "DENY", what
    assert headers.get("referrer-policy") in ("no-referrer", "same-origin"), what
    if no_store:
        assert "no-store" in headers.get("cache-control", ""), what


def test_every_kind_of_response_carries_the_headers(client: TestClient, users: Users) -> None:
    anonymous = new_browser(client.app)  # type: ignore[arg-type]
    browser = log_in(client.app, users.reviewer)  # type: ignore[arg-type]
    cases = {
        "health": anonymous.get("/healthz"),
        "API 401": anonymous.get("/api/conversations"),
        "API JSON": client.get("/api/conversations", headers=auth(users.admin)),
        "API 404": client.get("/api/conversations/nope", headers=auth(users.admin)),
        "API 422": client.get("/api/scorecards", params={"period": "x"}, headers=auth(users.admin)),
        "login page": anonymous.get("/login"),
        "redirect to login": anonymous.get("/review"),
        "page": browser.get("/review"),
        "403 page": log_in(client.app, users.agent).get("/review"),  # type: ignore[arg-type]
        "unknown path": anonymous.get("/nothing-here"),
    }
    for what, response in cases.items():
        _check_headers(response, what)
    static = anonymous.get(STATIC_CSS)
    assert static.status_code == 200
    _check_headers(static, "static", no_store=False)


def test_the_api_docs_are_for_signed_in_users(client: TestClient, users: Users) -> None:
    anonymous = new_browser(client.app)  # type: ignore[arg-type]
    assert anonymous.get("/openapi.json").status_code == 401
    docs = anonymous.get("/docs")
    assert docs.status_code == 303 and docs.headers["location"].startswith("/login?next=/docs")
    assert anonymous.get("/redoc").status_code == 404
    schema = client.get("/openapi.json", headers=auth(users.agent))
    assert schema.status_code == 200 and "/api/conversations" in schema.json()["paths"]
    _check_headers(schema, "openapi.json")
    page = log_in(client.app, users.agent).get("/docs")  # type: ignore[arg-type]
    assert page.status_code == 200 and "swagger" in page.text.lower()
    _check_headers(page, "docs")


def test_pages_have_no_inline_script_handlers_or_styles() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+\s*=|\sstyle\s*=|javascript:", re.I)
    offenders = {path.name: found.group(0) for path in TEMPLATES.glob("*.html")
                 if (found := inline.search(path.read_text(encoding="utf-8")))}
    assert offenders == {}
