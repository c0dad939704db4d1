"""Supervisor scope (issue 15 items 5 and 6): ticket imports stay inside the caller's team and
are audited; a conversation's team is its agent's, never the uploader's `metadata.team`."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlmodel import col, select

from api.services.users import create_user
from models import AuditEntry, Conversation, session_scope
from models.people import Agent
from models.tickets import Ticket
from tests.api.helpers import Users, auth, conversation_body, submit

HEADER = "ticket_id,agent_id,customer_id,issue_key,channel,opened_at\n"


def _runtime(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.runtime  # type: ignore[attr-defined]


def _token(client: TestClient, **user: str) -> str:
    with session_scope(_runtime(client).engine) as session:
        return create_user(session, name=f"u-{uuid.uuid4().hex[:6]}", **user)[1]


def _import(client: TestClient, token: str, rows: list[str]) -> dict:  # type: ignore[type-arg]
    body = (HEADER + "".join(f"{row}\n" for row in rows)).encode()
    response = client.post("/api/tickets", content=body, headers=auth(token))
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_supervisor_imports_only_own_team_and_the_rest_is_reported(client: TestClient,
                                                                   users: Users) -> None:
    mine, theirs = f"TK-{uuid.uuid4().hex[:8]}", f"TK-{uuid.uuid4().hex[:8]}"
    result = _import(client, users.supervisor, [
        f"{mine},A017,C1,bill,voice,2026-11-02T10:00:00+08:00",
        f"{theirs},A023,C2,bill,voice,2026-11-02T11:00:00+08:00",
        f"TK-{uuid.uuid4().hex[:8]},NOBODY-{uuid.uuid4().hex[:4]},C3,bill,voice,2026-11-02T12:00:00+08:00",
    ])
    assert result["imported"] == 1
    assert len(result["rejected"]) == 2 and result["skipped"] == 2
    assert "line 3" in result["rejected"][0] and "A023" in result["rejected"][0]
    with session_scope(_runtime(client).engine) as session:
        assert session.get(Ticket, mine) is not None
        assert session.get(Ticket, theirs) is None


def test_supervisor_cannot_overwrite_another_teams_ticket(client: TestClient,
                                                          users: Users) -> None:
    ticket_id = f"TK-{uuid.uuid4().hex[:8]}"
    assert _import(client, users.admin,
                   [f"{ticket_id},A023,C9,card,voice,2026-11-03T10:00:00+08:00"])["imported"] == 1
    result = _import(client, users.supervisor,
                     [f"{ticket_id},A017,C9,card,voice,2026-11-03T10:00:00+08:00"])
    assert result["imported"] == 0 and ticket_id in result["rejected"][0]
    with session_scope(_runtime(client).engine) as session:
        stored = session.get(Ticket, ticket_id)
        assert stored is not None and stored.agent_id == "A023"


def test_every_import_is_audited(client: TestClient, users: Users) -> None:
    ticket_id = f"TK-{uuid.uuid4().hex[:8]}"
    _import(client, users.supervisor, [
        f"{ticket_id},A017,C1,bill,voice,2026-11-04T10:00:00+08:00",
        f"TK-{uuid.uuid4().hex[:8]},A023,C2,bill,voice,2026-11-04T11:00:00+08:00",
    ])
    with session_scope(_runtime(client).engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "tickets.imported")
                             .order_by(col(AuditEntry.id).desc())).first()
    assert entry is not None and entry.actor.startswith("supervisor:")
    assert entry.after is not None
    assert entry.after["imported"] == 1 and entry.after["rejected"] == 1
    assert entry.after["agents"] == ["A017"] and entry.after["rejected_agents"] == ["A023"]


def test_scope_follows_the_agents_team_not_the_uploaders_metadata(client: TestClient,
                                                                  users: Users) -> None:
    supervisor_t2 = _token(client, role="supervisor", team_id="t2")
    record = submit(client, users.admin, conversation_body(agent_id="A023", team="t1"))
    assert record["team_id"] == "t2"
    url = f"/api/conversations/{record['id']}"
    assert client.get(url, headers=auth(users.supervisor)).status_code == 404
    assert client.get(url, headers=auth(supervisor_t2)).status_code == 200
    listed = {c["id"] for c in client.get("/api/conversations", params={"agent_id": "A023"},
                                          headers=auth(supervisor_t2)).json()}
    assert record["id"] in listed
    with session_scope(_runtime(client).engine) as session:
        agent = session.get(Agent, "A023")
        assert agent is not None and agent.team_id == "t2"


def test_metadata_cannot_move_an_agent_between_teams(client: TestClient, users: Users) -> None:
    agent = f"N{uuid.uuid4().hex[:6]}"
    first = submit(client, users.admin, conversation_body(agent_id=agent, team="t-first"))
    second = submit(client, users.admin, conversation_body(agent_id=agent, team="t-second"))
    assert (first["team_id"], second["team_id"]) == ("t-first", "t-first")
    with session_scope(_runtime(client).engine) as session:
        stored = session.get(Agent, agent)
        assert stored is not None and stored.team_id == "t-first"


def test_an_admin_gives_a_teamless_agent_a_team_and_its_conversations_follow(
        client: TestClient, users: Users) -> None:
    agent = f"N{uuid.uuid4().hex[:6]}"
    body = conversation_body(agent_id=agent, metadata={"call_type": "sales"})
    submit(client, users.admin, body)
    team = f"t-{agent}"
    _token(client, role="agent", agent_id=agent, team_id=team)
    supervisor = _token(client, role="supervisor", team_id=team)
    shown = client.get(f"/api/conversations/{body['id']}", headers=auth(supervisor))
    assert shown.status_code == 200 and shown.json()["team_id"] == team
    with session_scope(_runtime(client).engine) as session:
        row = session.get(Conversation, body["id"])
        assert row is not None and row.team_id == team
