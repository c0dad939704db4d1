"""Property-based fuzz of what the service parses (issue 15, "Done when"): the conversation JSON
and the ticket CSV, before any database work, raise nothing but the domain's errors; and via
the API (SQLite and PostgreSQL) no such body is ever answered with a 5xx. Bounded (a fixed
number of examples, derandomised) so the suite stays fast and repeatable."""

from __future__ import annotations

import contextlib
import csv
import io
import json
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.services.conversations import prepare_transcript
from api.services.tickets import parse_ticket_csv
from api.services.uploads import parse_json_body
from api.settings import Settings
from inspection.errors import ZhijianError
from inspection.pipeline import Pipeline
from tests.api.helpers import Users, auth

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))
API_FUZZ = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))

odd_text = (st.text(st.characters() | st.sampled_from(["\x00", "\ud800", "\udc00", "/", "%"]),
                   max_size=30)
            | st.sampled_from(["..", "13812345678", "2026-11-05T10:00:00", "卡号6222020200000000006",
                               "A" * 201, "0001-01-01T00:00:00+08:00"]))
plain_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
some_text = plain_text | plain_text | odd_text  # mostly plausible, sometimes hostile
plain_id = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}", fullmatch=True)
some_id = plain_id | plain_id | odd_text
scalars = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | some_text
           | st.floats(allow_nan=True, allow_infinity=True))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(some_text, inner, max_size=4), max_leaves=20)
times = st.one_of(some_text, st.datetimes().map(lambda d: d.isoformat()),
                  st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()))
seconds = st.floats(0, 3600) | scalars
utterance = st.fixed_dictionaries(
    {"role": st.sampled_from(["agent", "customer", "agent", "customer", "bot"]), "text": some_text},
    optional={"start": seconds, "end": seconds, "confidence": st.floats(0, 1) | scalars,
              "words": json_values})
conversation = st.fixed_dictionaries(
    {"id": some_id, "utterances": st.lists(utterance, min_size=1, max_size=3)
     | st.lists(utterance, max_size=3) | json_values},
    optional={"agent_id": some_id | json_values, "started_at": times | scalars,
              "channel": st.sampled_from(["voice", "chat"]) | some_text,
              "direction": st.sampled_from(["inbound", "outbound"]) | some_text,
              "industry": some_text, "metadata": st.dictionaries(
                  st.sampled_from(["agent_id", "team", "phone", "note"]) | some_text, json_values,
                  max_size=4) | json_values})
bodies = (conversation.map(lambda c: json.dumps(c).encode())  # \ud800 as the escape a client sends
          | conversation.map(lambda c: json.dumps(c).encode())
          | st.binary(max_size=200)
          | json_values.map(lambda v: json.dumps(v).encode()))

COLUMNS = ["ticket_id", "agent_id", "customer_id", "issue_key", "channel", "opened_at",
           "first_response_at", "resolved_at", "handle_seconds", "csat", "complaint", "escalated"]
ticket_cell = some_text | times | st.sampled_from(["", "1", "是", "-5", "6", "A017", "0.5"])
recent = st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)).map(lambda d: d.isoformat())
some_time = recent | recent | times
plausible_row = st.tuples(some_id, st.sampled_from(["A017", "A023"]) | some_id, plain_id,
                          plain_id, st.sampled_from(["voice", "chat"]) | some_text, some_time,
                          st.just("") | some_time, st.just("") | some_time,
                          *[st.just("") | ticket_cell] * 4).map(list)
ticket_rows = st.lists(plausible_row | plausible_row | st.lists(ticket_cell, max_size=len(COLUMNS) + 1),
                       max_size=5)
headers = st.just(COLUMNS) | st.just(COLUMNS) | st.lists(
    st.sampled_from([*COLUMNS, "extra", ""]), min_size=1, max_size=13, unique=True)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


ticket_bodies = st.builds(_csv, headers, ticket_rows) | st.binary(max_size=200)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_settings(Settings(sentiment_enabled=False).pipeline_settings())


def test_the_conversation_parser_raises_only_domain_errors(pipeline: Pipeline) -> None:
    @FUZZ
    @given(body=bodies)
    def check(body: bytes) -> None:
        with contextlib.suppress(ZhijianError):
            prepare_transcript(pipeline, parse_json_body(body))

    check()


def test_the_ticket_parser_raises_only_domain_errors() -> None:
    @FUZZ
    @given(body=ticket_bodies)
    def check(body: bytes) -> None:
        with contextlib.suppress(ZhijianError):
            parse_ticket_csv(body)

    check()


def test_the_api_never_answers_5xx_to_fuzzed_bodies(client: TestClient, users: Users) -> None:
    @API_FUZZ
    @given(body=bodies, tickets=ticket_bodies)
    def check(body: bytes, tickets: bytes) -> None:
        headers = {**auth(users.admin), "content-type": "application/json"}
        response = client.post("/api/conversations", content=body, headers=headers)
        assert response.status_code < 500, (body[:200], response.text[:300])
        response = client.post("/api/tickets", content=tickets, headers=auth(users.admin))
        assert response.status_code < 500, (tickets[:200], response.text[:300])

    check()
