"""Nothing is lost when a publish or a re-inspection fails half-way: a process killed between
its writes and its commit (os._exit in a child process, the way a killed worker dies) leaves
the published version, the findings, their reviews and the job's item as they were; the job
then runs again to the right end."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from api.jobs.reinspection import reinspect_item
from api.services.rule_versions import local_period
from api.settings import Settings
from models import Finding, session_scope
from models.reinspection import ITEM_DONE, ITEM_PENDING, ReinspectionItem
from models.repository.reinspection import create_run
from models.repository.rule_packs import published_version_number
from tests.api.helpers import Users, auth, conversation_body, submit
from tests.api.rule_helpers import (
    EXTRA_PACK,
    NEW_RULE,
    NEW_RULE_PACK,
    PROMISE,
    database_url,  # noqa: F401  (a database of this module's own)
    upload,
)
from tests.api.test_rule_lifecycle import PERIOD

KILLED = 9


def run_child(settings: Settings, code: str) -> int:
    """Run `code` in a fresh Python process on the same database; its exit status."""
    env = {**os.environ, "ZHIJIAN_DATABASE_URL": str(settings.database_url),
           "ZHIJIAN_DATA_DIR": str(settings.data_dir), "ZHIJIAN_SENTIMENT_ENABLED": "false",
           "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env, timeout=300,
                          capture_output=True, text=True)
    assert done.returncode == KILLED, done.stderr[-3000:]
    return done.returncode


@pytest.fixture(scope="module")
def old_call(client: TestClient, users: Users) -> dict[str, Any]:
    """A call inspected with version 1, its veto confirmed by a reviewer."""
    body = conversation_body(started_at="2026-11-20T10:00:00+08:00")
    body["utterances"][2]["text"] = PROMISE
    record = submit(client, users.admin, body)
    veto = next(f for f in record["findings"] if f["rule_id"] == "fin.guaranteed_return")
    reviewed = client.post(f"/api/findings/{veto['id']}/review", json={"decision": "confirm"},
                           headers=auth(users.reviewer))
    assert reviewed.status_code == 200, reviewed.text
    return {**record, "veto_id": veto["id"]}


@pytest.fixture(scope="module")
def version_two(client: TestClient, users: Users, old_call: dict[str, Any]) -> int:
    """Version 2 uploaded and dry-run, not published."""
    assert upload(client, users.reviewer, {EXTRA_PACK: NEW_RULE_PACK}).status_code == 201
    dry = client.post("/api/rules/versions/2/dry-run", json=PERIOD, headers=auth(users.reviewer))
    assert dry.status_code == 200, dry.text
    return 2


def published(client: TestClient) -> int | None:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        return published_version_number(session)


def test_a_publish_killed_before_its_commit_publishes_nothing(
        client: TestClient, users: Users, settings: Settings, version_two: int) -> None:
    run_child(settings, """
        import os
        import api.services.rule_versions as service
        from api.runtime import build_runtime
        from api.settings import Settings

        real = service.append_audit
        def dying(*args, **kwargs):
            real(*args, **kwargs)  # the publication row and its audit entry are flushed
            os._exit(9)            # ... and the process dies before the commit
        service.append_audit = dying
        service.publish(build_runtime(Settings()), actor="qa", version=2, comment="")
    """)
    assert published(client) == 1
    assert NEW_RULE not in {r["id"] for r in client.get("/api/rules",
                                                        headers=auth(users.admin)).json()}
    again = client.post("/api/rules/versions/2/publish", json={}, headers=auth(users.reviewer))
    assert again.status_code == 200, again.text
    assert published(client) == 2


def test_a_reinspection_killed_mid_item_loses_nothing_and_finishes_on_retry(
        client: TestClient, users: Users, settings: Settings, old_call: dict[str, Any],
        version_two: int) -> None:
    if published(client) != version_two:
        client.post("/api/rules/versions/2/publish", json={}, headers=auth(users.reviewer))
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    before = findings_of(client, old_call["id"])
    day = local_period(date(2026, 11, 20), date(2026, 11, 20))
    with session_scope(runtime.engine) as session:
        run = create_run(session, version=2, since=day[0], until=day[1], requested_by="qa")
        item_id = session.exec(select(ReinspectionItem.id)
                               .where(ReinspectionItem.run_id == run.id)).one()
    assert item_id is not None
    run_child(settings, f"""
        import os
        import api.jobs.reinspection as job
        from api.runtime import build_runtime
        from api.settings import Settings

        real = job.merge_reinspection
        def dying(*args, **kwargs):
            real(*args, **kwargs)  # findings merged and flushed, the item not yet done
            os._exit(9)            # the worker is killed before the commit
        job.merge_reinspection = dying
        job.reinspect_item(build_runtime(Settings()), {item_id})
    """)
    assert findings_of(client, old_call["id"]) == before
    assert item_state(client, item_id) == ITEM_PENDING
    assert reinspect_item(runtime, item_id) == ITEM_DONE
    after = findings_of(client, old_call["id"])
    assert NEW_RULE in {f["rule_id"] for f in after}
    kept = next(f for f in after if f["id"] == old_call["veto_id"])
    assert (kept["review_state"], kept["ruleset_version"]) == ("confirmed", 2)
    assert reinspect_item(runtime, item_id) == ITEM_DONE  # idempotent: nothing changes
    assert findings_of(client, old_call["id"]) == after


def findings_of(client: TestClient, conversation_id: str) -> list[dict[str, Any]]:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        rows = session.exec(select(Finding).where(Finding.conversation_id == conversation_id)
                            .order_by(Finding.id))  # type: ignore[arg-type]
        return [{"id": f.id, "rule_id": f.rule_id, "review_state": f.review_state,
                 "ruleset_version": f.ruleset_version} for f in rows]


def item_state(client: TestClient, item_id: int) -> str:
    engine = client.app.state.runtime.engine  # type: ignore[attr-defined]
    with session_scope(engine) as session:
        item = session.get(ReinspectionItem, item_id)
        assert item is not None
        return item.state
