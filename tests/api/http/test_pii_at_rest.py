"""No raw identifier at rest (issue 15 items 1 and 3): conversation metadata, review comments,
appeal reasons and audit details are redacted before storage, by what they hold rather than by
field name; idempotency is decided on the redacted body, and no digest of raw text is stored."""

from __future__ import annotations

import hashlib
import json

from fastapi.testclient import TestClient

from api.services.conversations import accept, audio_step
from models import Conversation, session_scope
from tests.api.helpers import Users, auth, conversation_body, submit
from tests.api.samples import bank_card, mobile, resident_id, tables_holding, tone_wav


def _engine(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.runtime.engine  # type: ignore[attr-defined]


def test_metadata_is_redacted_by_what_it_holds(client: TestClient, users: Users) -> None:
    phone, id_number, card = mobile(), resident_id(), bank_card()
    body = conversation_body(agent_id="A017", team="t1", metadata={
        "team": "t1", "queue": "credit_card", "order": "订单号2024061009452231",
        "customer_phone": phone, "callback": int(phone),
        "notes": [{"text": f"客户身份证{id_number}，要求回电"}], "x": f"卡号{card}"})
    submit(client, users.admin, body)
    shown = client.get(f"/api/conversations/{body['id']}", headers=auth(users.agent)).json()
    metadata = shown["metadata"]
    assert metadata["customer_phone"] == "[手机号]" and metadata["callback"] == "[手机号]"
    assert metadata["notes"] == [{"text": "客户身份证[身份证号]，要求回电"}]
    assert metadata["x"] == "卡号[银行卡号]"
    assert metadata["queue"] == "credit_card" and metadata["order"] == "订单号2024061009452231"
    assert tables_holding(_engine(client), phone, id_number, card) == []


def test_comments_reasons_and_audit_details_are_redacted(client: TestClient,
                                                         users: Users) -> None:
    phone, id_number, card = mobile(), resident_id(), bank_card()
    record = submit(client, users.admin, conversation_body(agent_id="A017", team="t1"))
    veto = next(f for f in record["findings"] if f["rule_id"] == "fin.guaranteed_return")
    reviewed = client.post(f"/api/findings/{veto['id']}/review",
                           json={"decision": "confirm", "comment": f"已回拨客户 {phone}"},
                           headers=auth(users.reviewer))
    assert reviewed.status_code == 200, reviewed.text
    appeal = client.post(f"/api/findings/{veto['id']}/appeals",
                         json={"reason": f"客户身份证{id_number}，我说的是不保本"},
                         headers=auth(users.agent))
    assert appeal.status_code == 201, appeal.text
    assert appeal.json()["reason"] == "客户身份证[身份证号]，我说的是不保本"
    decided = client.post(f"/api/appeals/{appeal.json()['id']}/decision",
                          json={"decision": "overturn", "comment": f"核对卡号{card}后推翻"},
                          headers=auth(users.reviewer))
    assert decided.status_code == 200, decided.text
    assert decided.json()["decision_comment"] == "核对卡号[银行卡号]后推翻"
    assert tables_holding(_engine(client), phone, id_number, card) == []


def test_a_body_differing_only_inside_redacted_spans_is_the_same_record(
        client: TestClient, users: Users) -> None:
    body = conversation_body()
    body["utterances"][1]["text"] = f"我的手机号是{mobile()}，你们记一下"
    first = client.post("/api/conversations", json=body, headers=auth(users.admin))
    assert first.status_code == 201, first.text
    guess = json.loads(json.dumps(body))
    guess["utterances"][1]["text"] = f"我的手机号是{mobile()}，你们记一下"
    again = client.post("/api/conversations", json=guess, headers=auth(users.admin))
    assert again.status_code == 200, again.text
    assert again.json()["created"] is False


def test_a_conflict_reveals_nothing_and_no_raw_digest_is_stored(client: TestClient,
                                                                users: Users) -> None:
    phone = mobile()
    body = conversation_body()
    body["utterances"][1]["text"] = f"我的手机号是{phone}，你们记一下"
    submit(client, users.admin, body)
    other = json.loads(json.dumps(body))
    other["utterances"][1]["text"] = "我想换一张卡"
    response = client.post("/api/conversations", json=other, headers=auth(users.admin))
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert body["id"] in detail and "手机号" not in detail and phone not in detail
    with session_scope(_engine(client)) as session:
        row = session.get(Conversation, body["id"])
        assert row is not None
        stored = json.dumps(row.source, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert phone not in stored  # the digest is of this redacted text: nothing to guess
        assert row.body_hash == hashlib.sha256(stored.encode("utf-8")).hexdigest()


def test_audio_metadata_is_redacted_and_idempotent_on_the_redacted_fields(
        client: TestClient) -> None:
    """At the service (no job: the tone is never transcribed)."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    conversation_id = f"audio-pii-{mobile()[-6:]}"
    audio, phones, results = tone_wav(), (mobile(), mobile()), []
    for phone in phones:
        fields = {"id": conversation_id, "agent_id": "A017",
                  "metadata": {"customer_phone": phone, "callback": int(phone)}}
        step = audio_step(runtime, filename="call.wav", data=audio, metadata=json.dumps(fields))
        results.append(accept(runtime, step).created)
    assert results == [True, False]
    with session_scope(runtime.engine) as session:
        row = session.get(Conversation, conversation_id)
        assert row is not None
        assert row.meta == {"customer_phone": "[手机号]", "callback": "[手机号]"}
    assert tables_holding(runtime.engine, *phones) == []
