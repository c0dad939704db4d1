"""The rule lifecycle through the API (issue 17 items 1-3): upload a changed pack → the dry run
lists the newly flagged conversation (the same diff as `zhijian rules backtest`) → publish →
a new upload uses version 2 → re-inspect the period → the old finding's review is kept → the
scorecard rests on version 2; rollback restores version 1. Every step is audited."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from models import AuditEntry, session_scope
from tests.api.helpers import Users, auth, conversation_body, submit
from tests.api.rule_helpers import (
    EXTRA_PACK,
    NEW_RULE,
    NEW_RULE_PACK,
    PROMISE,
    database_url,  # noqa: F401  (a database of this module's own)
    upload,
    wait_reinspection,
)
from zhijian.cli import main

PERIOD = {"since": "2026-11-01", "until": "2026-11-30"}


def promise_call(**changes: Any) -> dict[str, Any]:
    body = conversation_body(**changes)
    body["utterances"][2]["text"] = PROMISE
    return body


def rule_ids(client: TestClient, token: str) -> set[str]:
    return {rule["id"] for rule in client.get("/api/rules", headers=auth(token)).json()}


def by_rule(record: dict[str, Any], rule_id: str) -> list[dict[str, Any]]:
    return [f for f in record["findings"] if f["rule_id"] == rule_id]


@pytest.fixture(scope="module")
def reviewed_call(client: TestClient, users: Users) -> dict[str, Any]:
    """A call of November 2026 inspected with version 1, its veto confirmed by a reviewer."""
    record = submit(client, users.admin, promise_call())
    veto = by_rule(record, "fin.guaranteed_return")[0]
    response = client.post(f"/api/findings/{veto['id']}/review", json={"decision": "confirm"},
                           headers=auth(users.reviewer))
    assert response.status_code == 200, response.text
    return record


def test_version_one_is_the_bundled_packs(client: TestClient, users: Users) -> None:
    versions = client.get("/api/rules/versions", headers=auth(users.supervisor)).json()
    assert [(v["version"], v["published"], v["created_by"]) for v in versions] == \
        [(1, True, "system")]
    assert "fin.guaranteed_return" in rule_ids(client, users.agent)


def test_upload_dry_run_publish_reinspect_rollback(client: TestClient, users: Users,
                                                   reviewed_call: dict[str, Any],
                                                   tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert not by_rule(reviewed_call, NEW_RULE)
    created = upload(client, users.reviewer, {EXTRA_PACK: NEW_RULE_PACK}, comment="新增夸大承诺")
    assert created.status_code == 201, created.text
    version = created.json()
    assert (version["version"], version["published"], version["based_on"]) == (2, False, 1)
    assert EXTRA_PACK in version["files"] and "finance.yaml" in version["files"]

    refused = client.post("/api/rules/versions/2/publish", json={}, headers=auth(users.reviewer))
    assert refused.status_code == 409 and "试运行" in refused.json()["detail"]

    dry = client.post("/api/rules/versions/2/dry-run", json=PERIOD, headers=auth(users.reviewer))
    assert dry.status_code == 200, dry.text
    diff = dry.json()
    assert diff["baseline_version"] == 1 and diff["changed_rules"] == [NEW_RULE]
    flagged = next(rule for rule in diff["rules"] if rule["rule_id"] == NEW_RULE)
    hit = flagged["newly_flagged"][0]
    assert (hit["conversation_id"], hit["utterance_index"], hit["evidence"]) == \
        (reviewed_call["id"], 2, "绝对靠谱")
    assert diff["agents_affected"] == ["A017"]
    _cli_agrees(client, users, reviewed_call["id"], diff, tmp_path, capsys)

    published = client.post("/api/rules/versions/2/publish", json={"comment": "上线"},
                            headers=auth(users.admin))
    assert published.status_code == 200, published.text
    assert (published.json()["version"], published.json()["previous_version"]) == (2, 1)
    assert NEW_RULE in rule_ids(client, users.agent)

    fresh = submit(client, users.admin, promise_call(started_at="2026-11-03T10:00:00+08:00"))
    assert [f["ruleset_version"] for f in by_rule(fresh, NEW_RULE)] == [2]

    run = client.post("/api/rules/reinspections", json=PERIOD, headers=auth(users.reviewer))
    assert run.status_code == 202, run.text
    assert run.json()["version"] == 2 and run.json()["total"] >= 2
    done = wait_reinspection(client, users.reviewer, run.json()["id"])
    assert done["progress"]["done"] == done["progress"]["total"] and not done["progress"]["failed"]

    again = client.get(f"/api/conversations/{reviewed_call['id']}", headers=auth(users.admin)).json()
    assert [f["ruleset_version"] for f in by_rule(again, NEW_RULE)] == [2]
    kept = by_rule(again, "fin.guaranteed_return")[0]
    original = by_rule(reviewed_call, "fin.guaranteed_return")[0]
    assert (kept["id"], kept["review_state"], kept["ruleset_version"]) == \
        (original["id"], "confirmed", 2)
    assert (again["score"], again["veto"]) == (0, True)  # the confirmed veto still applies

    cards = client.get("/api/scorecards?period=2026-11", headers=auth(users.admin)).json()
    card = next(c for c in cards["agents"] if c["agent_id"] == "A017")
    assert card["rule_versions"] == [2]

    rollback = client.post("/api/rules/versions/1/publish", json={"comment": "回滚"},
                           headers=auth(users.reviewer))
    assert rollback.status_code == 200, rollback.text
    assert rollback.json()["summary"]["rollback"] is True
    assert NEW_RULE not in rule_ids(client, users.agent)
    after = submit(client, users.admin, promise_call(started_at="2026-11-04T10:00:00+08:00"))
    assert not by_rule(after, NEW_RULE)
    assert {f["ruleset_version"] for f in after["findings"]} == {1}
    _audited(client, ["rules.uploaded", "rules.dry_run", "rules.published",
                      "rules.reinspection_started", "conversation.reinspected"])


def _cli_agrees(client: TestClient, users: Users, conversation_id: str, diff: dict[str, Any],
                tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`zhijian rules backtest` on the exported conversation and the versions' files: the diff
    the API's dry run reported."""
    for number in (1, 2):
        folder = tmp_path / f"v{number}"
        folder.mkdir()
        texts = client.get(f"/api/rules/versions/{number}", headers=auth(users.admin)).json()
        for name, text in texts["texts"].items():
            (folder / name).write_text(text, encoding="utf-8")
    exported = client.get(f"/api/conversations/{conversation_id}", headers=auth(users.admin))
    (tmp_path / "export.json").write_text(exported.text, encoding="utf-8")
    capsys.readouterr()
    assert main(["rules", "backtest", "--no-sentiment", "--format", "json", "--baseline",
                 str(tmp_path / "v1"), "--rules", str(tmp_path / "v2"),
                 str(tmp_path / "export.json")]) == 0
    from_cli = json.loads(capsys.readouterr().out)
    same = ("rules", "changed_rules", "score_changes", "veto_changes", "agents_affected",
            "flagged_conversations")
    mine = {key: [r for r in diff[key] if r.get("conversation_id", conversation_id)
                  == conversation_id] if key.endswith("changes") else diff[key] for key in same}
    only_this = {**mine, "rules": [_only(rule, conversation_id) for rule in diff["rules"]]}
    assert {key: from_cli[key] for key in same} == only_this


def _only(rule: dict[str, Any], conversation_id: str) -> dict[str, Any]:
    """A rule's diff restricted to one conversation (the CLI was given only that one)."""
    def mine(hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [hit for hit in hits if hit["conversation_id"] == conversation_id]

    return {**rule, "newly_flagged": mine(rule["newly_flagged"]),
            "newly_cleared": mine(rule["newly_cleared"]),
            "fired_before": rule["fired_before"], "fired_after": rule["fired_after"]}


def _audited(client: TestClient, actions: list[str]) -> None:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        found = set(session.exec(select(AuditEntry.action).where(
            col(AuditEntry.action).in_(actions))))
    assert found == set(actions)


def test_a_pack_that_does_not_load_or_fails_its_examples_is_refused(
        client: TestClient, users: Users) -> None:
    broken = upload(client, users.reviewer, {"broken.yaml": "pack: x\nrules: [\n"})
    assert broken.status_code == 422 and "broken.yaml" in broken.json()["detail"]
    failing = NEW_RULE_PACK.replace("hit: [这个产品绝对靠谱]", "hit: [这个产品不错]")
    refused = upload(client, users.reviewer, {"failing.yaml": failing})
    assert refused.status_code == 422 and "示例未通过" in refused.json()["detail"]
    same = upload(client, users.reviewer, {EXTRA_PACK: NEW_RULE_PACK})
    assert same.status_code == 409 and "版本 2" in same.json()["detail"]
    bad_name = upload(client, users.reviewer, {"../evil.yaml": NEW_RULE_PACK})
    assert bad_name.status_code == 422
    numbers = [v["version"] for v in client.get("/api/rules/versions",
                                                headers=auth(users.admin)).json()]
    assert numbers == [2, 1]  # nothing stored by the refusals
