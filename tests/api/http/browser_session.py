"""A browser's view of the service in the TestClient: its own cookie jar, the login form with
its pre-session CSRF token, and the page's CSRF token for the API calls the pages' scripts make.
"""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

ORIGIN = "http://testserver"  # the TestClient's own origin
SESSION_COOKIE = "zhijian_session"
CSRF_HEADER = "X-CSRF-Token"
_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
_META = re.compile(r'<meta name="csrf-token" content="([^"]*)"')


def new_browser(app: FastAPI) -> TestClient:
    """A client with an empty cookie jar on the running app (its lifespan already ran)."""
    return TestClient(app, base_url=ORIGIN, follow_redirects=False)


def login_form_token(browser: TestClient) -> str:
    """GET /login: the hidden form field (its twin is the pre-session cookie just set)."""
    page = browser.get("/login")
    assert page.status_code == 200, page.text
    found = _FIELD.search(page.text)
    assert found, "the login form has no csrf_token field"
    return found.group(1)


def log_in(app: FastAPI, token: str) -> TestClient:
    """A browser signed in with `token` through the login form, as a person does it."""
    browser = new_browser(app)
    response = browser.post("/login", data={"token": token, "next": "/",
                                            "csrf_token": login_form_token(browser)},
                            headers={"Origin": ORIGIN})
    assert response.status_code == 303, response.text
    assert browser.cookies.get(SESSION_COOKIE), "no session cookie after login"
    return browser


def page_csrf_token(browser: TestClient, path: str = "/rules") -> str:
    """The CSRF token a signed-in page carries for its scripts (`<meta name="csrf-token">`)."""
    page = browser.get(path)
    found = _META.search(page.text)
    assert page.status_code == 200 and found, (page.status_code, page.text[:300])
    return found.group(1)


def replay(app: FastAPI, session_id: str) -> TestClient:
    """Another client carrying only a copied session cookie (e.g. after logout)."""
    copied = new_browser(app)
    copied.cookies.set(SESSION_COOKIE, session_id)
    return copied
