"""The inspection job's storage, on SQLite and PostgreSQL: sentiment computed once and only
for the turns the rules read, few statements per job, re-runs replace rather than add."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import event

from api.jobs.batching import SharedBatches
from api.jobs.inspection_job import run_inspection_job
from api.runtime import Runtime, build_runtime
from api.services.conversations import store_transcript
from api.settings import Settings
from inspection.sentiment import LexiconSentiment
from inspection.types import SentimentResult
from models import Conversation, session_scope
from models.queries import findings_of, lock_conversation, utterances_of
from tests.api.helpers import conversation_body


class CountingAnalyzer:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        self.calls.append(list(texts))
        return LexiconSentiment().predict(texts)


@pytest.fixture(scope="module")
def runtime(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("jobs"), database_url=database_url,
                        sentiment_enabled=False)
    built = build_runtime(settings)
    yield built
    built.engine.dispose()


@pytest.fixture
def analyzer(runtime: Runtime) -> Iterator[CountingAnalyzer]:
    counting = CountingAnalyzer()
    runtime.pipeline.sentiment = SharedBatches(counting)
    yield counting
    runtime.pipeline.sentiment = None


def submitted(runtime: Runtime) -> dict[str, Any]:
    body = conversation_body(id=f"job-{uuid.uuid4().hex[:12]}")
    with session_scope(runtime.engine) as session:
        store_transcript(session, pipeline=runtime.pipeline, data=body)
    return body


def test_sentiment_is_computed_once_and_only_for_customer_turns(
        runtime: Runtime, analyzer: CountingAnalyzer) -> None:
    body = submitted(runtime)
    assert run_inspection_job(runtime, body["id"]) == "done"
    customer = [u["text"] for u in body["utterances"] if u["role"] == "customer"]
    assert analyzer.calls == [customer]
    with session_scope(runtime.engine) as session:
        stored = utterances_of(session, conversation_id=body["id"])
    expected = LexiconSentiment().predict(customer)
    assert [(u.sentiment_label, u.sentiment_score) for u in stored if u.role == "customer"] == [
        (r.label, r.score) for r in expected]
    assert all(u.sentiment_label is None and u.sentiment_score is None
               for u in stored if u.role == "agent")


def test_lock_conversation_says_whether_results_are_stored(runtime: Runtime) -> None:
    body = submitted(runtime)
    with session_scope(runtime.engine) as session:
        assert lock_conversation(session, conversation_id="no-such-id") is None
        claimed = lock_conversation(session, conversation_id=body["id"])
        assert claimed is not None and claimed[0].id == body["id"] and claimed[1] is False
    run_inspection_job(runtime, body["id"])
    with session_scope(runtime.engine) as session:
        claimed = lock_conversation(session, conversation_id=body["id"])
        assert claimed is not None and claimed[1] is True


def test_a_rerun_replaces_results_and_never_duplicates(runtime: Runtime) -> None:
    body = submitted(runtime)
    run_inspection_job(runtime, body["id"])
    with session_scope(runtime.engine) as session:
        first = [(f.rule_id, f.utterance_index) for f in findings_of(session,
                                                                      conversation_id=body["id"])]
        row = session.get(Conversation, body["id"])
        assert row is not None and first
        row.status = "received"  # as if redelivered after its results were stored
        session.add(row)
    assert run_inspection_job(runtime, body["id"]) == "done"
    with session_scope(runtime.engine) as session:
        again = [(f.rule_id, f.utterance_index) for f in findings_of(session,
                                                                      conversation_id=body["id"])]
        assert again == first
        assert len(utterances_of(session, conversation_id=body["id"])) == len(body["utterances"])
        row = session.get(Conversation, body["id"])
        assert row is not None and row.status == "done" and row.attempts == 2


def test_a_job_updates_its_conversation_once(runtime: Runtime) -> None:
    """Claim, results and verdict: one SELECT … FOR UPDATE (with the has-results check), one
    UPDATE of the row, one INSERT per table: no redundant statements."""
    body = submitted(runtime)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()).lower())

    event.listen(runtime.engine, "before_cursor_execute", record)
    try:
        run_inspection_job(runtime, body["id"])
    finally:
        event.remove(runtime.engine, "before_cursor_execute", record)
    assert sum(s.startswith("update conversation") for s in statements) == 1
    assert sum(s.startswith("select conversation.") for s in statements) == 1
    assert sum(s.startswith("insert into utterance") for s in statements) == 1
    assert sum(s.startswith("insert into finding") for s in statements) == 1
    assert not any(s.startswith(("select utterance", "delete")) for s in statements)
