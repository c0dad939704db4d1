"""Review and appeal decisions re-score the conversation, are audited and feed rule stats."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import col, select

from models import AuditEntry, session_scope
from models.queries import verify_audit_chain
from tests.api.helpers import Users, auth, conversation_body, submit


def _veto_finding(record: dict) -> dict:  # type: ignore[type-arg]
    return next(f for f in record["findings"] if f["rule_id"] == "fin.guaranteed_return")


def test_overturning_the_veto_restores_the_score(client: TestClient, users: Users) -> None:
    record = submit(client, users.admin, conversation_body())
    # a machine veto awaits a reviewer (veto_applies: on_confirmation): not yet zero
    assert (record["veto"], record["veto_pending"], record["needs_review"]) == (False, True, True)
    finding = _veto_finding(record)
    response = client.post(f"/api/findings/{finding['id']}/review",
                           json={"decision": "overturn", "comment": "客户复述，非承诺"},
                           headers=auth(users.reviewer))
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["veto"] is False and after["score"] == 100 and after["needs_review"] is False
    stored = client.get(f"/api/conversations/{record['id']}", headers=auth(users.admin)).json()
    assert _veto_finding(stored)["review_state"] == "overturned"


def test_confirming_keeps_the_veto_and_clears_the_queue(client: TestClient, users: Users) -> None:
    record = submit(client, users.admin, conversation_body())
    queue = [c["id"] for c in client.get("/api/review-queue", headers=auth(users.reviewer)).json()]
    assert record["id"] in queue
    finding = _veto_finding(record)
    after = client.post(f"/api/findings/{finding['id']}/review", json={"decision": "confirm"},
                        headers=auth(users.reviewer)).json()
    assert (after["veto"], after["score"], after["needs_review"]) == (True, 0, False)
    queue = [c["id"] for c in client.get("/api/review-queue", headers=auth(users.reviewer)).json()]
    assert record["id"] not in queue


def test_appeal_once_then_decision_rescored_and_counted(client: TestClient, users: Users) -> None:
    record = submit(client, users.admin, conversation_body(agent_id="A017", team="t1"))
    finding = _veto_finding(record)
    url = f"/api/findings/{finding['id']}/appeals"
    appeal = client.post(url, json={"reason": "我说的是不保本"}, headers=auth(users.agent))
    assert appeal.status_code == 201, appeal.text
    again = client.post(url, json={"reason": "再申诉"}, headers=auth(users.agent))
    assert again.status_code == 409 and "已申诉" in again.json()["detail"]
    decision_url = f"/api/appeals/{appeal.json()['id']}/decision"
    decided = client.post(decision_url, json={"decision": "overturn", "comment": "录音核实"},
                          headers=auth(users.reviewer))
    assert decided.status_code == 200 and decided.json()["state"] == "overturned"
    assert client.post(decision_url, json={"decision": "uphold"},
                       headers=auth(users.reviewer)).status_code == 409
    stored = client.get(f"/api/conversations/{record['id']}", headers=auth(users.agent)).json()
    assert stored["score"] == 100 and stored["veto"] is False
    stats = {s["rule_id"]: s for s in client.get("/api/rules/stats",
                                                 headers=auth(users.reviewer)).json()}
    assert stats["fin.guaranteed_return"]["appeals_overturned"] >= 1
    assert stats["fin.guaranteed_return"]["precision"] is not None


def test_every_decision_is_in_the_hash_chained_audit_log(client: TestClient,
                                                          users: Users) -> None:
    record = submit(client, users.admin, conversation_body())
    client.post(f"/api/findings/{_veto_finding(record)['id']}/review",
                json={"decision": "overturn"}, headers=auth(users.reviewer))
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        wanted = [record["id"], str(_veto_finding(record)["id"])]
        entries = list(session.exec(select(AuditEntry).where(col(AuditEntry.entity_id).in_(wanted))))
        actions = [e.action for e in entries]
        assert actions.count("conversation.scored") == 1
        assert "finding.reviewed" in actions and "conversation.rescored" in actions
        rescored = next(e for e in entries if e.action == "conversation.rescored")
        assert (rescored.before or {})["veto_pending"] is True
        assert (rescored.after or {})["score"] == 100
        assert (rescored.after or {})["veto_pending"] is False
        checked, broken = verify_audit_chain(session)
        assert broken is None and checked >= 3
        rescored.after = {"score": 0}
        session.add(rescored)
        session.flush()
        checked, broken = verify_audit_chain(session)
        assert broken == rescored.id
        session.rollback()


def test_rules_list_and_validate(client: TestClient, users: Users) -> None:
    rules = client.get("/api/rules", headers=auth(users.agent)).json()
    assert {"fin.guaranteed_return", "svc.greeting"} <= {r["id"] for r in rules}
    good = """
pack: mine
rules:
  - {id: my.thanks, version: 1, name: 感谢, description: 说谢谢, category: courtesy,
     severity: info, deduction: 1, type: keyword, keywords: [谢谢],
     examples: {hit: [谢谢], miss: [好的]}}
"""
    response = client.post("/api/rules/validate", content=good.encode(),
                           headers=auth(users.reviewer))
    assert response.json() == {"valid": True, "rules": 1, "detail": None}
    bad = good.replace("type: keyword", "type: nonsense")
    result = client.post("/api/rules/validate", content=bad.encode(),
                         headers=auth(users.reviewer)).json()
    assert result["valid"] is False and "my.thanks" in result["detail"]
    assert "nonsense" in result["detail"]
