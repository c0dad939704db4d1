"""The inspection job's storage, on SQLite and PostgreSQL: sentiment computed once and only
for the turns the rules read, few statements per job, re-runs replace rather than add."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import event

from api.ingest import store_transcript
from api.jobs import run_inspection_job
from api.sentiment_batches import SharedBatches
from api.services import Services, build_services
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
def services(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("jobs"), database_url=database_url,
                        sentiment_enabled=False)
    built = build_services(settings)
    yield built
    built.engine.dispose()


@pytest.fixture
def analyzer(services: Services) -> Iterator[CountingAnalyzer]:
    counting = CountingAnalyzer()
    services._sentiment, services._sentiment_loaded = SharedBatches(counting), True
    yield counting
    services._sentiment = None


def submitted(services: Services) -> dict[str, Any]:
    body = conversation_body(id=f"job-{uuid.uuid4().hex[:12]}")
    with session_scope(services.engine) as session:
        store_transcript(session, data=body)
    return body


def test_sentiment_is_computed_once_and_only_for_customer_turns(
        services: Services, analyzer: CountingAnalyzer) -> None:
    body = submitted(services)
    assert run_inspection_job(services, body["id"]) == "done"
    customer = [u["text"] for u in body["utterances"] if u["role"] == "customer"]
    assert analyzer.calls == [customer]
    with session_scope(services.engine) as session:
        stored = utterances_of(session, conversation_id=body["id"])
    expected = LexiconSentiment().predict(customer)
    assert [(u.sentiment_label, u.sentiment_score) for u in stored if u.role == "customer"] == [
        (r.label, r.score) for r in expected]
    assert all(u.sentiment_label is None and u.sentiment_score is None
               for u in stored if u.role == "agent")


def test_lock_conversation_says_whether_results_are_stored(services: Services) -> None:
    body = submitted(services)
    with session_scope(services.engine) as session:
        assert lock_conversation(session, conversation_id="no-such-id") is None
        claimed = lock_conversation(session, conversation_id=body["id"])
        assert claimed is not None and claimed[0].id == body["id"] and claimed[1] is False
    run_inspection_job(services, body["id"])
    with session_scope(services.engine) as session:
        claimed = lock_conversation(session, conversation_id=body["id"])
        assert claimed is not None and claimed[1] is True


def test_a_rerun_replaces_results_and_never_duplicates(services: Services) -> None:
    body = submitted(services)
    run_inspection_job(services, body["id"])
    with session_scope(services.engine) as session:
        first = [(f.rule_id, f.utterance_index) for f in findings_of(session,
                                                                      conversation_id=body["id"])]
        row = session.get(Conversation, body["id"])
        assert row is not None and first
        row.status = "received"  # as if redelivered after its results were stored
        session.add(row)
    assert run_inspection_job(services, body["id"]) == "done"
    with session_scope(services.engine) as session:
        again = [(f.rule_id, f.utterance_index) for f in findings_of(session,
                                                                      conversation_id=body["id"])]
        assert again == first
        assert len(utterances_of(session, conversation_id=body["id"])) == len(body["utterances"])
        row = session.get(Conversation, body["id"])
        assert row is not None and row.status == "done" and row.attempts == 2


def test_a_job_updates_its_conversation_once(services: Services) -> None:
    """Claim, results and verdict: one SELECT … FOR UPDATE (with the has-results check), one
    UPDATE of the row, one INSERT per table: no redundant statements."""
    body = submitted(services)
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()).lower())

    event.listen(services.engine, "before_cursor_execute", record)
    try:
        run_inspection_job(services, body["id"])
    finally:
        event.remove(services.engine, "before_cursor_execute", record)
    assert sum(s.startswith("update conversation") for s in statements) == 1
    assert sum(s.startswith("select conversation.") for s in statements) == 1
    assert sum(s.startswith("insert into utterance") for s in statements) == 1
    assert sum(s.startswith("insert into finding") for s in statements) == 1
    assert not any(s.startswith(("select utterance", "delete")) for s in statements)
