"""Submitting and reading conversations, idempotency, bad input, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid

from fastapi.testclient import TestClient

from tests.api.helpers import Users, auth, conversation_body, submit, wait_done


def test_submit_inspects_and_stores_findings(client: TestClient, users: Users) -> None:
    record = submit(client, users.admin, conversation_body())
    assert record["status"] == "done"
    # a machine veto is pending until a reviewer confirms it: the score leaves it out
    assert record["veto"] is False and record["veto_pending"] is True and record["score"] > 0
    rule_ids = {f["rule_id"] for f in record["findings"]}
    assert "fin.guaranteed_return" in rule_ids and "fin.recording_notice" not in rule_ids
    veto = next(f for f in record["findings"] if f["rule_id"] == "fin.guaranteed_return")
    assert (veto["utterance_index"], veto["role"], veto["start"]) == (2, "agent", 6.5)
    assert [u["role"] for u in record["utterances"]] == ["agent", "customer", "agent", "agent"]


def test_same_id_same_body_is_the_same_record(client: TestClient, users: Users) -> None:
    body = conversation_body()
    first = client.post("/api/conversations", json=body, headers=auth(users.admin))
    again = client.post("/api/conversations", content=json.dumps(body, indent=2),
                        headers={**auth(users.admin), "content-type": "application/json"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "created": False, "status": again.json()["status"]}
    wait_done(client, body["id"], users.admin)


def test_same_id_other_body_conflicts_and_keeps_the_original(client: TestClient,
                                                             users: Users) -> None:
    body = conversation_body()
    submit(client, users.admin, body)
    changed = {**body, "utterances": body["utterances"][:1]}
    response = client.post("/api/conversations", json=changed, headers=auth(users.admin))
    assert response.status_code == 409
    assert body["id"] in response.json()["detail"]
    stored = client.get(f"/api/conversations/{body['id']}", headers=auth(users.admin)).json()
    assert len(stored["utterances"]) == 4


def test_bad_bodies_get_4xx_with_a_message(client: TestClient, users: Users) -> None:
    headers = {**auth(users.admin), "content-type": "application/json"}
    cases = [
        (b'{"id": "x", "utterances": [', 422, "JSON 格式错误"),
        (b"", 422, "请求体为空"),
        (b"[]", 422, "每个请求一通会话"),
        (json.dumps({"id": "x"}).encode(), 422, "utterances: 缺少必填字段"),
        (json.dumps(conversation_body(utterances=[{"role": "bot", "text": "hi"}])).encode(),
         422, "未知角色 'bot'"),
        (b"\xff\xfe", 422, "UTF-8"),
        (json.dumps(conversation_body(id="big", metadata={"pad": "x" * 300_000})).encode(),
         413, "上传过大"),
    ]
    for body, status, message in cases:
        response = client.post("/api/conversations", content=body, headers=headers)
        assert response.status_code == status, (body[:40], response.text)
        assert message in response.json()["detail"]


def test_unknown_ids_are_404(client: TestClient, users: Users) -> None:
    assert client.get("/api/conversations/nope", headers=auth(users.admin)).status_code == 404
    response = client.post("/api/findings/999999/review", json={"decision": "confirm"},
                           headers=auth(users.reviewer))
    assert response.status_code == 404 and "999999" in response.json()["detail"]


def test_authentication_is_required(client: TestClient) -> None:
    assert client.get("/api/conversations").status_code == 401
    response = client.get("/api/conversations", headers=auth("zj_wrong"))
    assert response.status_code == 401 and response.json()["detail"] == "身份令牌无效"


def test_list_filters(client: TestClient, users: Users) -> None:
    vetoed = submit(client, users.admin, conversation_body(agent_id="A031", team="t3"))
    veto = next(f for f in vetoed["findings"] if f["rule_id"] == "fin.guaranteed_return")
    confirmed = client.post(f"/api/findings/{veto['id']}/review", json={"decision": "confirm"},
                            headers=auth(users.reviewer))
    assert confirmed.status_code == 200  # a veto counts (veto=true, score 0) once confirmed
    clean_body = conversation_body(agent_id="A031", team="t3")
    clean_body["utterances"][2]["text"] = "这款产品不保本，投资有风险"
    clean = submit(client, users.admin, clean_body)

    def ids(**params: object) -> set[str]:
        response = client.get("/api/conversations", params={"agent_id": "A031", **params},
                              headers=auth(users.admin))
        return {c["id"] for c in response.json()}

    assert ids() == {vetoed["id"], clean["id"]}
    assert ids(veto=True) == {vetoed["id"]}
    assert ids(rule_id="fin.guaranteed_return") == {vetoed["id"]}
    assert ids(min_score=50) == {clean["id"]}
    assert ids(since="2026-12-01T00:00:00+08:00") == set()


def test_pii_is_redacted_before_storage(client: TestClient, users: Users) -> None:
    body = conversation_body()
    body["utterances"][1]["text"] = "我的手机号是13812345678，你们记一下"
    record = submit(client, users.admin, body)
    text = record["utterances"][1]["text"]
    assert "13812345678" not in text and "12345678" not in text
    assert record["redactions"] and record["redactions"][0]["utterance_index"] == 1


def test_audio_uploads_that_are_not_usable_audio_are_rejected(client: TestClient,
                                                              users: Users) -> None:
    cases = [
        ("call.wav", b"", "file"),
        ("call.wav", b"RIFF\x00\x00\x00\x00WAVEfmt not really audio", "call"),
        ("notes.txt", b"hello", "不支持的音频格式"),
    ]
    for name, content, message in cases:
        response = client.post("/api/conversations", headers=auth(users.admin),
                               files={"file": (name, content, "application/octet-stream")},
                               data={"metadata": json.dumps({"id": f"audio-{name}"})})
        assert response.status_code == 422, (name, response.text)
        assert message in response.json()["detail"]
        assert client.get(f"/api/conversations/audio-{name}",
                          headers=auth(users.admin)).status_code == 404
    response = client.post("/api/conversations", headers=auth(users.admin),
                           files={"file": ("c.wav", b"RIFF", "audio/wav")},
                           data={"metadata": "{not json"})
    assert response.status_code == 422 and "metadata" in response.json()["detail"]


def test_concurrent_submissions_for_a_new_agent_never_fail(client: TestClient,
                                                           users: Users) -> None:
    from concurrent.futures import ThreadPoolExecutor

    agent = f"N{uuid.uuid4().hex[:6]}"
    bodies = [conversation_body(agent_id=agent, team=f"team-{agent}") for _ in range(8)]
    same = conversation_body(agent_id=agent)
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(
            lambda b: client.post("/api/conversations", json=b, headers=auth(users.admin)).status_code,
            [*bodies, same, same]))
    assert sorted(codes[:8]) == [201] * 8
    assert sorted(codes[8:]) == [200, 201]
