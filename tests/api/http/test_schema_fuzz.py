"""schemathesis over the OpenAPI schema: whatever it sends, the service never answers 5xx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api.http.app import create_app
from api.settings import Settings
from tests.api.helpers import Users, auth


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, str]]:
    data = tmp_path_factory.mktemp("fuzz")
    app = create_app(Settings(data_dir=data, database_url=f"sqlite:///{data / 'z.db'}",
                              sentiment_enabled=False, max_upload_bytes=50_000))
    with TestClient(app) as client:
        yield app, Users(client).admin


def test_no_operation_answers_5xx(fuzzed_app: tuple[FastAPI, str]) -> None:
    app, token = fuzzed_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=auth(token))  # signed in only
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        _fuzz(operation, token)


def _fuzz(operation: schemathesis.APIOperation, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        response = case.call(headers=auth(token))
        assert response.status_code < 500, (case.method, case.formatted_path, response.text[:300])

    check()
