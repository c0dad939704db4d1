"""Manually entered metrics through the API: each role's boundary, CSRF for page sessions, the
audit entry, comments redacted at rest, a bad file refused whole, and the scorecard reading the
value (the finance template's knowledge-test item, 15 % of its weight)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import select

from models import AuditEntry, session_scope
from models.tickets import ManualMetric
from tests.api.helpers import Users, auth, conversation_body, submit
from tests.api.http.browser_session import CSRF_HEADER, ORIGIN, log_in, page_csrf_token

HEADER = "agent_id,period,metric,value,comment\n"
PHONE = "13812345678"


def post(client: TestClient, token: str, rows: str) -> Any:
    return client.post("/api/manual-metrics", content=(HEADER + rows).encode(),
                       headers={**auth(token), "Content-Type": "text/csv"})


def stored(client: TestClient, agent_id: str, period: str = "2026-10") -> dict[str, ManualMetric]:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with session_scope(runtime.engine) as session:
        return {row.metric: row for row in session.exec(select(ManualMetric).where(
            ManualMetric.agent_id == agent_id, ManualMetric.period == period))}


def card_of(client: TestClient, token: str, agent_id: str) -> dict[str, Any]:
    response = client.get("/api/scorecards", params={"period": "2026-11"}, headers=auth(token))
    assert response.status_code == 200, response.text
    return next(c for c in response.json()["agents"] if c["agent_id"] == agent_id)


def test_the_scorecard_reads_an_entered_value_and_covers_its_weight(client: TestClient,
                                                                    users: Users) -> None:
    submit(client, users.admin, conversation_body(agent_id="A017", team="t1"))
    before = card_of(client, users.admin, "A017")
    assert before["metrics"]["knowledge_test_score"] is None
    response = post(client, users.supervisor, "A017,2026-11,knowledge_test_score,88,季度测试\n")
    assert response.status_code == 200, response.text
    assert response.json() == {"imported": 1, "agents": ["A017"]}
    after = card_of(client, users.admin, "A017")
    assert after["metrics"]["knowledge_test_score"] == 88
    assert after["weight_coverage"] - before["weight_coverage"] == 15  # percent
    listed = client.get("/api/manual-metrics", params={"period": "2026-11"},
                        headers=auth(users.agent)).json()["values"]
    assert [(v["agent_id"], v["value"]) for v in listed] == [("A017", 88.0)]


def test_each_role_enters_only_what_it_may(client: TestClient, users: Users) -> None:
    row = "A023,2026-10,knowledge_test_score,{},\n"
    assert post(client, users.agent, row.format(70)).status_code == 403
    assert post(client, users.other_agent, row.format(70)).status_code == 403
    outside = post(client, users.supervisor, row.format(70))  # A023 is in team t2
    assert outside.status_code == 422 and "A023" in outside.json()["detail"]
    assert stored(client, "A023") == {}
    assert post(client, users.reviewer, row.format(81)).status_code == 200
    assert post(client, users.admin, row.format(83)).status_code == 200
    assert stored(client, "A023")["knowledge_test_score"].value == 83  # replaced, not added
    own = post(client, users.supervisor, "A017,2026-10,knowledge_test_score,75,\n")
    assert own.status_code == 200, own.text
    # a supervisor's values list only their team; an agent's only their own
    shown = client.get("/api/manual-metrics", params={"period": "2026-10"},
                       headers=auth(users.supervisor)).json()["values"]
    assert {v["agent_id"] for v in shown} == {"A017"}
    assert client.get("/api/manual-metrics", params={"period": "2026-10"},
                      headers=auth(users.other_agent)).json()["values"][0]["value"] == 83


def test_bad_input_is_refused_whole_naming_the_problem(client: TestClient,
                                                       users: Users) -> None:
    assert post(client, users.admin, "A017,2026-09,knowledge_test_score,80,\n").status_code == 200
    good = "A017,2026-09,knowledge_test_score,60,\n"
    cases = {
        "A999": good + "A999,2026-09,knowledge_test_score,80,\n",  # unknown agent
        "out of range": good + "A017,2026-09,training_pass_rate,120,\n",
        "not a number": good + "A017,2026-09,kb_contributions,many,\n",
        "not a manual-input metric": good + "A017,2026-09,csat_mean,4,\n",
        "duplicate": good + good,
        "line 3": good + "A017,2026-13,kb_contributions,3,\n",  # no such month
    }
    for needle, rows in cases.items():
        response = post(client, users.admin, rows)
        assert response.status_code == 422, (needle, response.text)
        assert needle in response.json()["detail"], (needle, response.json())
    for body, needle in ((b"agent_id,period,value\nA017,2026-09,80\n", "metric"),
                         ("人工".encode("gbk"), "UTF-8"), (b"", "为空"),
                         (b'agent_id,period,metric,value\n"A017,2026-09\n', "CSV")):
        response = client.post("/api/manual-metrics", content=body, headers=auth(users.admin))
        assert response.status_code == 422 and needle in response.json()["detail"], response.text
    assert stored(client, "A017", "2026-09")["knowledge_test_score"].value == 80  # intact
    assert set(stored(client, "A017", "2026-09")) == {"knowledge_test_score"}


def test_comments_are_redacted_and_every_import_is_audited(client: TestClient,
                                                           users: Users) -> None:
    row = f"A017,2026-08,knowledge_test_score,91,客户回电 {PHONE} 时抽问\n"
    assert post(client, users.reviewer, row).status_code == 200
    comment = stored(client, "A017", "2026-08")["knowledge_test_score"].comment
    assert PHONE not in comment and "抽问" in comment
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with session_scope(runtime.engine) as session:
        entries = session.exec(select(AuditEntry).where(
            AuditEntry.action == "manual_metrics.imported")).all()
    latest = max(entries, key=lambda entry: entry.id or 0)
    assert "qa" in latest.actor
    assert latest.after["values"] == 1 and latest.after["agents"] == ["A017"]
    assert latest.after["periods"] == ["2026-08"]


def test_a_page_session_needs_the_csrf_token(client: TestClient, users: Users) -> None:
    browser = log_in(client.app, users.supervisor)  # type: ignore[arg-type]
    body = (HEADER + "A017,2026-07,knowledge_test_score,77,\n").encode()
    headers = {"Origin": ORIGIN, "Content-Type": "text/csv"}
    refused = browser.post("/api/manual-metrics", content=body, headers=headers)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    assert stored(client, "A017", "2026-07") == {}
    token = page_csrf_token(browser, "/team")
    accepted = browser.post("/api/manual-metrics", content=body,
                            headers={**headers, CSRF_HEADER: token})
    assert accepted.status_code == 200, accepted.text
    assert stored(client, "A017", "2026-07")["knowledge_test_score"].value == 77
