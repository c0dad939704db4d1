"""Coaching's inputs and the team page are read in a fixed number of SQL statements, however
many conversations are stored (they were two per conversation: 1.5–9 s pages on the demo)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from inspection.scoring import ScoringPolicy
from models import Conversation, Finding, Utterance, session_scope
from models.enums import ConversationStatus
from models.queries import ensure_agent
from models.repository import stored_inspections
from tests.api.helpers import Users, auth

CST = timezone(timedelta(hours=8))


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements the engine sends to the database inside the block."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def add_done(engine: Engine, count: int, *, agent_id: str = "A017") -> list[str]:
    """`count` finished conversations of the agent, three turns and one finding each."""
    ids = [f"q-{uuid.uuid4().hex[:10]}" for _ in range(count)]
    with session_scope(engine) as session:
        ensure_agent(session, agent_id=agent_id, team_id="t1")
        for n, cid in enumerate(ids):
            session.add(Conversation(
                id=cid, body_hash="0" * 64, status=ConversationStatus.DONE, channel="chat",
                direction="inbound", agent_id=agent_id, team_id="t1", score=90.0 - n,
                started_at=datetime(2026, 11, 3, 9, tzinfo=CST) + timedelta(hours=n)))
            session.flush()
            session.add_all([Utterance(conversation_id=cid, index=i, role=role, start=i,
                                       end=i + 0.5, text=f"{cid} 第{i}句")
                             for i, role in enumerate(("agent", "customer", "agent"))])
            session.add(Finding(conversation_id=cid, rule_id="svc.closing", rule_version=1,
                                rule_name="结束语", category="service", severity="minor",
                                deduction=5.0, veto=False, explanation="缺少结束语",
                                utterance_index=2, role="agent", start=2.0, end=2.5,
                                evidence_text=f"{cid} 第2句"))
    return ids


def statements_for_stored_inspections(engine: Engine) -> tuple[int, list[Any]]:
    with session_scope(engine) as session, counted(engine) as statements:
        inspected = stored_inspections(session, ScoringPolicy())
    return len(statements), inspected


def test_stored_inspections_reads_a_fixed_number_of_statements(client: TestClient,
                                                               users: Users) -> None:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    first = add_done(engine, 2)
    few, _ = statements_for_stored_inspections(engine)
    added = add_done(engine, 9)
    many, inspected = statements_for_stored_inspections(engine)
    assert many == few <= 4, (few, many)
    by_id = {conversation.id: (conversation, result) for conversation, result in inspected}
    for cid in (*first, *added):
        conversation, result = by_id[cid]
        assert [u.text for u in conversation.utterances] == [f"{cid} 第{i}句" for i in range(3)]
        assert [f.rule_id for f in result.findings] == ["svc.closing"]
        assert result.score == 95.0


def test_team_page_statements_do_not_grow_with_conversations(client: TestClient,
                                                              users: Users) -> None:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    add_done(engine, 2, agent_id="A031")

    def page_statements() -> int:
        with counted(engine) as statements:
            page = client.get("/team", params={"period": "2026-11"}, headers=auth(users.admin))
        assert page.status_code == 200, page.text[:300]
        return len(statements)

    few = page_statements()
    add_done(engine, 12, agent_id="A031")
    assert page_statements() == few
