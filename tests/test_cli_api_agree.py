"""One pipeline behind every door: the same conversation inspected by `zhijian inspect` and
through the service's API gets the same redaction, findings and score."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.services.users import create_user
from api.settings import Settings
from inspection.loaders import load_conversations
from models import session_scope
from tests.api.helpers import auth, submit
from zhijian.cli import main

pytestmark = pytest.mark.slow  # both doors load the embedded sentiment model

CARD = "6222021234567890128"
WITH_PII = {
    "id": "c-agree-pii", "channel": "voice", "direction": "outbound", "industry": "finance",
    "agent_id": "A017", "metadata": {"call_type": "sales"},
    "utterances": [
        {"role": "agent", "start": 0, "end": 3, "text": "您好，我是理财经理小陈"},
        {"role": "customer", "start": 3.5, "end": 7, "text": f"我的卡号是{CARD}，这个产品会亏吗"},
        {"role": "agent", "start": 7.5, "end": 11, "text": "您放心，这个是保本的，稳赚不赔"},
        {"role": "customer", "start": 11.5, "end": 13, "text": "太气人了，我要投诉你们"},
    ],
}


def comparable(findings: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """What both doors report of a finding, in one order (API rows carry ids and review state)."""
    return sorted((f["rule_id"], f["rule_version"], f["deduction"], f["veto"], f["explanation"],
                   f["utterance_index"], f["evidence_text"]) for f in findings)


def cli_view(record: dict[str, Any]) -> dict[str, Any]:
    findings = [{**f, "utterance_index": (f["evidence"] or {}).get("utterance_index"),
                 "evidence_text": (f["evidence"] or {}).get("text")} for f in record["findings"]]
    return {"score": record["score"], "veto": record["veto"], "deductions": record["deductions"],
            "needs_review": record["needs_review"], "category_scores": record["category_scores"],
            "findings": comparable(findings)}


def api_view(record: dict[str, Any]) -> dict[str, Any]:
    return {"score": record["score"], "veto": record["veto"], "deductions": record["deductions"],
            "needs_review": record["needs_review"], "category_scores": record["category_scores"],
            "findings": comparable(record["findings"])}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("agree")
    settings = Settings(data_dir=data, database_url=f"sqlite:///{data / 'zhijian.db'}")
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def admin(client: TestClient) -> str:
    with session_scope(client.app.state.runtime.engine) as session:  # type: ignore[attr-defined]
        return create_user(session, name="admin", role="admin")[1]


def conversations(examples_dir: Path) -> list[dict[str, Any]]:
    found = [c.model_dump(mode="json", exclude_none=True)
             for path in sorted(examples_dir.iterdir()) for c in load_conversations(path)]
    return [*found, WITH_PII]


def test_cli_and_api_agree(client: TestClient, admin: str, examples_dir: Path, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    bodies = conversations(examples_dir)
    (tmp_path / "all.jsonl").write_text(
        "\n".join(json.dumps(body, ensure_ascii=False) for body in bodies), encoding="utf-8")
    assert main(["inspect", str(tmp_path / "all.jsonl"), "--format", "json"]) == 0
    from_cli = {r["id"]: cli_view(r) for r in map(json.loads, capsys.readouterr().out.splitlines())}
    from_api = {}
    for body in bodies:
        record = submit(client, admin, body)
        assert record["status"] == "done", record
        from_api[body["id"]] = api_view(record)
    assert from_api == from_cli
    assert any(view["findings"] for view in from_cli.values())


def test_both_doors_redact_the_same_way(client: TestClient, admin: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pii.json").write_text(json.dumps(WITH_PII, ensure_ascii=False), encoding="utf-8")
    assert main(["inspect", str(tmp_path / "pii.json"), "--format", "json"]) == 0
    assert CARD not in capsys.readouterr().out
    stored = client.get(f"/api/conversations/{WITH_PII['id']}", headers=auth(admin))
    # Run alone, this test stores the conversation itself.
    stored_record = submit(client, admin, WITH_PII) if stored.status_code == 404 else stored.json()
    assert CARD not in json.dumps(stored_record, ensure_ascii=False)
    assert "[银行卡号]" in stored_record["utterances"][1]["text"]
