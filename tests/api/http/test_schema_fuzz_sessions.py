"""schemathesis over the whole OpenAPI schema, as an API client (bearer token) and as the pages
(session cookie with its CSRF token): whatever it sends, the service never answers 5xx
(issue 15, "Done when"). Bounded: a fixed number of derandomised examples per operation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api.http.app import create_app
from api.settings import Settings
from tests.api.helpers import Users, auth
from tests.api.http.browser_session import CSRF_HEADER, ORIGIN, SESSION_COOKIE, log_in, page_csrf_token

EXAMPLES = 10


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, Users]]:
    data = tmp_path_factory.mktemp("fuzz-sessions")
    app = create_app(Settings(data_dir=data, database_url=f"sqlite:///{data / 'z.db'}",
                              sentiment_enabled=False, max_upload_bytes=50_000))
    with TestClient(app) as client:
        yield app, Users(client)


def _operations(app: FastAPI) -> list[schemathesis.APIOperation]:
    """Every operation of the running app's schema (read in-process: loading it over ASGI
    would start the app's lifespan, and its job runner, a second time)."""
    schema = schemathesis.openapi.from_dict(app.openapi())
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    return operations


def test_as_an_api_client_no_operation_answers_5xx(fuzzed: tuple[FastAPI, Users]) -> None:
    app, users = fuzzed
    for operation in _operations(app):
        _fuzz(operation, headers=auth(users.admin))


def test_as_the_pages_no_operation_answers_5xx(fuzzed: tuple[FastAPI, Users]) -> None:
    app, users = fuzzed
    browser = log_in(app, users.admin)
    session_id = browser.cookies.get(SESSION_COOKIE)
    assert session_id
    headers = {CSRF_HEADER: page_csrf_token(browser), "Origin": ORIGIN}
    for operation in _operations(app):
        _fuzz(operation, headers=headers, cookies={SESSION_COOKIE: session_id})


def _fuzz(operation: schemathesis.APIOperation, *, headers: dict[str, str],
          cookies: dict[str, Any] | None = None) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        if (case.method, case.path) == ("POST", "/logout"):
            return  # would end the session the rest of the run uses
        if cookies and case.headers:  # the pages send no bearer token: the cookie must serve
            case.headers.pop("Authorization", None)
        response = case.call(headers=headers, cookies=cookies)
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])

    check()
