"""Tickets import, scorecards, plans and alerts through the API, with role boundaries."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.helpers import Users, auth, conversation_body, submit


def test_ticket_import_reports_bad_rows_and_keeps_good_ones(client: TestClient, users: Users,
                                                             repo_root: Path) -> None:
    text = (repo_root / "examples" / "tickets.csv").read_text(encoding="utf-8")
    header, *rows = text.splitlines()
    broken = rows[0].split(",")
    broken[1] = ""  # agent_id missing
    body = "\n".join([header, *rows[:5], ",".join(broken)]) + "\n"
    # admin: the example tickets span teams (a supervisor imports only their own: test_team_scope)
    response = client.post("/api/tickets", content=body.encode(), headers=auth(users.admin))
    assert response.status_code == 200, response.text
    result = response.json()
    assert (result["imported"], result["skipped"]) == (5, 1)
    assert "line 7" in result["errors"][0]
    bad = client.post("/api/tickets", content="工单".encode("gbk"), headers=auth(users.admin))
    assert bad.status_code == 422 and "UTF-8" in bad.json()["detail"]
    assert client.post("/api/tickets", content=body.encode(),
                       headers=auth(users.agent)).status_code == 403


def test_scorecards_show_each_role_only_what_it_may_see(client: TestClient, users: Users) -> None:
    submit(client, users.admin, conversation_body(agent_id="A017", team="t1"))
    submit(client, users.admin, conversation_body(agent_id="A023", team="t2"))
    admin = client.get("/api/scorecards", params={"period": "2026-11"}, headers=auth(users.admin))
    assert admin.status_code == 200, admin.text
    everyone = {card["agent_id"] for card in admin.json()["agents"]}
    assert {"A017", "A023"} <= everyone
    vetoed = next(card for card in admin.json()["agents"] if card["agent_id"] == "A023")
    assert vetoed["veto"] is False and vetoed["pending_vetoes"]  # not counted until confirmed
    mine = client.get("/api/scorecards", params={"period": "2026-11"}, headers=auth(users.agent))
    assert {card["agent_id"] for card in mine.json()["agents"]} == {"A017"}
    plans = client.get("/api/coaching-plans", params={"period": "2026-11"},
                       headers=auth(users.other_agent)).json()["plans"]
    assert list(plans) == ["A023"]
    assert any(rec["skill"] == "compliance_redline" for rec in plans["A023"])


def test_bad_period_and_template_are_4xx(client: TestClient, users: Users) -> None:
    response = client.get("/api/scorecards", params={"period": "November"},
                          headers=auth(users.admin))
    assert response.status_code == 422 and "2026-10" in response.json()["detail"]
    response = client.get("/api/scorecards", params={"period": "2026-11", "template": "../x"},
                          headers=auth(users.admin))
    assert response.status_code == 404 and "finance" in response.json()["detail"]
    response = client.get("/api/alerts", params={"period": "2026-11"}, headers=auth(users.agent))
    assert response.status_code == 403
    response = client.get("/api/alerts", params={"period": "2026-11"}, headers=auth(users.admin))
    assert response.status_code == 200 and "alerts" in response.json()
