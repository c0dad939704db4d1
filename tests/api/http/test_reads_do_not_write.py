"""Reads do not write (issue 15 item 10): the coaching GETs compute on read; keeping a period's
scorecards is the explicit, role-checked and audited `POST /api/scorecards/snapshots`."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import select

from models import AuditEntry, CoachingPlan, Scorecard, session_scope
from tests.api.helpers import Users, auth, conversation_body, submit

PERIOD = {"period": "2026-11"}


def _counts(client: TestClient) -> tuple[int, int, int]:
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        return tuple(session.exec(select(func.count()).select_from(table)).one()  # type: ignore[return-value]
                     for table in (Scorecard, CoachingPlan, AuditEntry))


@pytest.fixture(scope="module")
def inspected(client: TestClient, users: Users) -> None:
    submit(client, users.admin, conversation_body(agent_id="A017", team="t1"))
    submit(client, users.admin, conversation_body(agent_id="A023", team="t2"))


def test_coaching_reads_write_nothing_for_any_role(client: TestClient, users: Users,
                                                   inspected: None) -> None:
    before = _counts(client)
    for role in ("admin", "reviewer", "supervisor", "agent", "other_agent"):
        headers = auth(getattr(users, role))
        for path in ("/api/scorecards", "/api/coaching-plans", "/api/alerts"):
            assert client.get(path, params=PERIOD, headers=headers).status_code in (200, 403)
    assert _counts(client) == before


@pytest.mark.parametrize(("role", "status", "agents"), [
    ("admin", 200, {"A017", "A023"}),
    ("reviewer", 200, {"A017", "A023"}),
    ("supervisor", 200, {"A017"}),  # team t1 only
    ("agent", 403, set()),
])
def test_snapshots_are_an_explicit_audited_post(client: TestClient, users: Users,
                                                inspected: None, role: str, status: int,
                                                agents: set[str]) -> None:
    scorecards, plans, audits = _counts(client)
    response = client.post("/api/scorecards/snapshots", params=PERIOD,
                           headers=auth(getattr(users, role)))
    assert response.status_code == status, response.text
    if status != 200:
        assert _counts(client) == (scorecards, plans, audits)
        return
    assert set(response.json()["saved"]) >= agents
    if role == "supervisor":
        assert set(response.json()["saved"]) == agents
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        stored = {row.agent_id for row in session.exec(select(Scorecard))}
        entry = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    assert agents <= stored
    assert entry is not None and entry.action == "scorecards.saved"
    assert entry.after is not None and set(entry.after["agents"]) == set(response.json()["saved"])
    assert _counts(client)[2] == audits + 1
