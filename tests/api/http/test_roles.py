"""Every role boundary: agents see only their own, supervisors their team, reviewers review."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import Users, auth, conversation_body, submit


def test_agent_sees_only_own_conversations(client: TestClient, users: Users) -> None:
    own = submit(client, users.admin, conversation_body(agent_id="A017", team="t1"))
    other = submit(client, users.admin, conversation_body(agent_id="A023", team="t2"))
    headers = auth(users.agent)
    assert client.get(f"/api/conversations/{own['id']}", headers=headers).status_code == 200
    assert client.get(f"/api/conversations/{other['id']}", headers=headers).status_code == 404
    listed = {c["agent_id"] for c in client.get("/api/conversations", headers=headers).json()}
    assert listed == {"A017"}
    listed = client.get("/api/conversations", params={"agent_id": "A023"}, headers=headers)
    assert listed.json() == []


def test_supervisor_sees_own_team_only(client: TestClient, users: Users) -> None:
    own = submit(client, users.admin, conversation_body(agent_id="A017", team="t1"))
    other = submit(client, users.admin, conversation_body(agent_id="A023", team="t2"))
    headers = auth(users.supervisor)
    assert client.get(f"/api/conversations/{own['id']}", headers=headers).status_code == 200
    assert client.get(f"/api/conversations/{other['id']}", headers=headers).status_code == 404
    queue = client.get("/api/review-queue", headers=headers).json()
    assert queue and {c["team_id"] for c in queue} == {"t1"}


def test_agents_cannot_submit_review_or_see_stats(client: TestClient, users: Users) -> None:
    record = submit(client, users.admin, conversation_body())
    finding_id = record["findings"][0]["id"]
    headers = auth(users.agent)
    assert client.post("/api/conversations", json=conversation_body(),
                       headers=headers).status_code == 403
    response = client.post(f"/api/findings/{finding_id}/review", json={"decision": "overturn"},
                           headers=headers)
    assert response.status_code == 403 and "无权" in response.json()["detail"]
    assert client.get("/api/rules/stats", headers=headers).status_code == 403
    assert client.get("/api/review-queue", headers=headers).status_code == 403


def test_agent_cannot_appeal_someone_elses_finding(client: TestClient, users: Users) -> None:
    record = submit(client, users.admin, conversation_body(agent_id="A023", team="t2"))
    finding_id = record["findings"][0]["id"]
    response = client.post(f"/api/findings/{finding_id}/appeals", json={"reason": "不是我"},
                           headers=auth(users.agent))
    assert response.status_code == 404
    response = client.post(f"/api/findings/{finding_id}/appeals", json={"reason": "x"},
                           headers=auth(users.reviewer))
    assert response.status_code == 403
