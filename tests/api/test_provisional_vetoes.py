"""Provisional vetoes (issue 17 item 6): a machine veto is a proposal. Until a reviewer confirms
it the conversation keeps the score without it and says 否决待确认; scorecards, bonus shares and
alerts leave it out and say so; confirming applies it everywhere at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.services.users import create_user
from api.settings import Settings
from models import session_scope
from tests.api.helpers import Users, auth, conversation_body, submit

AGENT, TEAM, PERIOD = "A901", "t9", "2026-11"
VETO = "fin.guaranteed_return"


@pytest.fixture(scope="module")
def agent_token(client: TestClient) -> str:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with session_scope(runtime.engine) as session:
        return create_user(session, name="a901", role="agent", agent_id=AGENT, team_id=TEAM)[1]


@pytest.fixture(scope="module")
def pending(client: TestClient, users: Users) -> dict[str, Any]:
    return submit(client, users.admin, conversation_body(agent_id=AGENT, team=TEAM))


def card_of(client: TestClient, token: str) -> dict[str, Any]:
    cards = client.get(f"/api/scorecards?period={PERIOD}", headers=auth(token)).json()["agents"]
    return next(card for card in cards if card["agent_id"] == AGENT)


def alerts_on(client: TestClient, token: str, conversation_id: str) -> list[dict[str, Any]]:
    found = client.get(f"/api/alerts?period={PERIOD}", headers=auth(token)).json()["alerts"]
    return [a for a in found if conversation_id in a["conversation_ids"]]


def veto_finding(record: dict[str, Any]) -> dict[str, Any]:
    return next(f for f in record["findings"] if f["rule_id"] == VETO)


def test_a_machine_veto_is_pending_everywhere_until_confirmed(
        client: TestClient, users: Users, pending: dict[str, Any], agent_token: str) -> None:
    deductions = sum(f["deduction"] for f in pending["findings"]
                     if f["rule_id"] != VETO and f["confidence"] >= 0.6)
    assert (pending["veto"], pending["veto_pending"], pending["needs_review"]) == (False, True, True)
    assert pending["score"] == 100 - deductions and pending["score"] > 0
    assert f"一票否决项需人工确认: {VETO}" in pending["review_reasons"]
    listed = client.get("/api/review-queue", headers=auth(users.reviewer)).json()
    assert listed[0]["veto_pending"] is True  # pending vetoes head the review queue

    card = card_of(client, users.admin)
    assert card["veto"] is False and card["veto_reasons"] == []
    assert card["pending_vetoes"] == [f"{pending['id']}: {VETO}"]
    assert card["metrics"]["veto_count"] == 0
    assert card["metrics"]["qa_score_mean"] == pending["score"]
    assert any("否决待确认" in note for note in card["bonus_notes"])
    assert not any("奖金取消" in note for note in card["bonus_notes"])
    assert [a["kind"] for a in alerts_on(client, users.admin, pending["id"])] == ["veto_pending"]
    assert "pending" in alerts_on(client, users.admin, pending["id"])[0]["message"]

    page = client.get(f"/agents/{AGENT}?period={PERIOD}", headers=auth(agent_token))
    assert page.status_code == 200
    assert "否决待确认（未计入总分、档位与奖金）" in page.text and "一票否决：" not in page.text
    conversation_page = client.get(f"/conversations/{pending['id']}", headers=auth(agent_token))
    assert 'id="veto-pending"' in conversation_page.text


def test_confirming_applies_the_veto_everywhere_at_once(
        client: TestClient, users: Users, pending: dict[str, Any], agent_token: str) -> None:
    finding = veto_finding(pending)
    confirmed = client.post(f"/api/findings/{finding['id']}/review",
                            json={"decision": "confirm", "comment": "录音核实"},
                            headers=auth(users.reviewer))
    assert confirmed.status_code == 200, confirmed.text
    record = client.get(f"/api/conversations/{pending['id']}", headers=auth(users.admin)).json()
    assert (record["score"], record["veto"], record["veto_pending"], record["needs_review"]) == \
        (0, True, False, False)

    card = card_of(client, users.admin)
    assert card["veto"] is True and card["pending_vetoes"] == []
    assert card["veto_reasons"] == [f"{pending['id']}: {VETO}"]
    assert card["metrics"]["veto_count"] == 1 and card["metrics"]["qa_score_mean"] == 0
    assert any("奖金取消" in note for note in card["bonus_notes"])
    assert [a["kind"] for a in alerts_on(client, users.admin, pending["id"])] == ["veto"]

    page = client.get(f"/agents/{AGENT}?period={PERIOD}", headers=auth(agent_token))
    assert "一票否决：" in page.text and "否决待确认（未计入" not in page.text


def test_an_upheld_appeal_confirms_the_veto(client: TestClient, users: Users,
                                            agent_token: str) -> None:
    record = submit(client, users.admin, conversation_body(agent_id=AGENT, team=TEAM))
    finding = veto_finding(record)
    appeal = client.post(f"/api/findings/{finding['id']}/appeals", json={"reason": "不是承诺"},
                         headers=auth(agent_token))
    assert appeal.status_code == 201, appeal.text
    decided = client.post(f"/api/appeals/{appeal.json()['id']}/decision",
                          json={"decision": "uphold"}, headers=auth(users.reviewer))
    assert decided.status_code == 200, decided.text
    after = client.get(f"/api/conversations/{record['id']}", headers=auth(users.admin)).json()
    assert (after["score"], after["veto"], after["veto_pending"]) == (0, True, False)


@pytest.fixture(scope="module")
def immediate(settings: Settings) -> Iterator[TestClient]:
    """The same database under `veto_applies: immediately`."""
    changed = settings.model_copy(update={"veto_applies": "immediately"})
    with TestClient(create_app(changed)) as test_client:
        yield test_client


def test_immediately_zeroes_the_score_at_once_and_still_asks_for_review(
        immediate: TestClient, users: Users) -> None:
    record = submit(immediate, users.admin, conversation_body(agent_id="A902", team=TEAM))
    assert (record["score"], record["veto"], record["veto_pending"], record["needs_review"]) == \
        (0, True, False, True)
