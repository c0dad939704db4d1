"""The rule lifecycle and provisional vetoes in headless Chromium (issue 17): a reviewer uploads
a changed pack on the versions page, dry-runs it and sees the newly flagged conversation,
publishes, re-inspects the period and watches the progress, rolls back; an agent's page shows
a machine veto as 否决待确认 until a reviewer confirms it on the conversation page.

This module runs its own server and database: publishing changes what the server runs."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from api.services.users import create_user
from api.settings import Settings
from models import session_scope
from tests.api.rule_helpers import EXTRA_PACK, NEW_RULE, NEW_RULE_PACK, PROMISE
from tests.pages.browser import Server, Tokens, login, running_server, shot

pytestmark = pytest.mark.browser
VETO = "fin.guaranteed_return"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("rule-pages")
    settings = Settings(data_dir=data, database_url=f"sqlite:///{data / 'zhijian.db'}",
                        sentiment_enabled=False, job_workers=2)
    with running_server(settings, "rule-pages") as server:
        yield server


@pytest.fixture(scope="module")
def tokens(server: Server) -> Tokens:
    with session_scope(server.app.state.runtime.engine) as session:
        def token(name: str, role: str, **scope: str) -> str:
            return create_user(session, name=name, role=role, **scope)[1]

        return Tokens(admin=token("管理员", "admin"), reviewer=token("质检员", "qa_reviewer"),
                      supervisor=token("班组长", "supervisor", team_id="t1"),
                      agent=token("小陈", "agent", agent_id="A017", team_id="t1"),
                      other_agent=token("小王", "agent", agent_id="A023", team_id="t2"))


def call(conversation_id: str, day: int) -> dict[str, Any]:
    return {"id": conversation_id, "channel": "voice", "direction": "outbound",
            "industry": "finance", "agent_id": "A017",
            "started_at": f"2026-11-{day:02d}T10:05:00+08:00",
            "metadata": {"team": "t1", "call_type": "sales"},
            "utterances": [
                {"role": "agent", "start": 0, "end": 4,
                 "text": "您好，我是XX银行理财经理小陈，本次通话将被录音"},
                {"role": "customer", "start": 4.5, "end": 6, "text": "这个产品会亏吗"},
                {"role": "agent", "start": 6.5, "end": 10, "text": PROMISE},
                {"role": "agent", "start": 10.5, "end": 13, "text": "感谢您的接听，再见"}]}


def submit(server: Server, token: str, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    httpx.post(f"{server.url}/api/conversations", json=body, headers=headers).raise_for_status()
    deadline = time.monotonic() + 30
    while True:
        record: dict[str, Any] = httpx.get(f"{server.url}/api/conversations/{body['id']}",
                                           headers=headers).json()
        if record["status"] in ("done", "failed"):
            return record
        assert time.monotonic() < deadline, "inspection job did not finish"
        time.sleep(0.1)


def finding_card(page: Page, rule_id: str) -> Any:
    return page.locator("article.finding", has=page.locator(f"code:text-is('{rule_id}')"))


def test_a_pending_veto_on_the_agent_page_until_confirmed(server: Server, tokens: Tokens,
                                                          page: Page) -> None:
    record = submit(server, tokens.admin, call("c-pages-veto", 2))
    login(page, server, tokens.agent, "/agents/A017?period=2026-11")
    expect(page.locator(".pending-vetoes")).to_contain_text(f"c-pages-veto: {VETO}")
    expect(page.locator("p.alert", has_text="一票否决：")).to_have_count(0)
    expect(page.locator("td .badge.veto-pending")).to_have_text("否决待确认")
    shot(page, "agent-pending-veto")
    page.context.clear_cookies()
    login(page, server, tokens.reviewer, f"/conversations/{record['id']}")
    expect(page.locator("#veto-pending")).to_have_text("否决待确认")
    expect(page.locator("#score")).not_to_have_text("0")
    card = finding_card(page, VETO)
    card.locator("button.confirm").first.click()
    expect(page.locator("#score")).to_have_text("0")
    expect(page.locator("#veto-pending")).to_have_count(0)
    page.context.clear_cookies()
    login(page, server, tokens.agent, "/agents/A017?period=2026-11")
    expect(page.locator("p.alert", has_text="一票否决：")).to_contain_text("c-pages-veto")
    expect(page.locator(".pending-vetoes")).to_have_count(0)
    shot(page, "agent-confirmed-veto")


def test_upload_dry_run_publish_reinspect_and_roll_back_in_the_browser(
        server: Server, tokens: Tokens, page: Page, tmp_path: Path) -> None:
    old = submit(server, tokens.admin, call("c-pages-old", 5))
    assert NEW_RULE not in {f["rule_id"] for f in old["findings"]}
    pack = tmp_path / EXTRA_PACK
    pack.write_text(NEW_RULE_PACK, encoding="utf-8")
    login(page, server, tokens.reviewer, "/rules/versions")
    expect(page.locator("tr.version-row.published")).to_contain_text("v1")
    page.set_input_files("#upload-form input[type=file]", str(pack))
    page.fill("#upload-form input[name=comment]", "新增夸大承诺")
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/rules/versions/2$"))
    expect(page.locator("#state")).to_have_text("未发布")
    expect(page.locator("#publish-form")).to_have_count(0)  # no publishing before a dry run
    page.fill("#dry-run-form input[name=since]", "2026-11-01")
    page.fill("#dry-run-form input[name=until]", "2026-11-30")
    page.click("#dry-run-form button[type=submit]")
    flagged = page.locator(f".diff-rule[data-rule='{NEW_RULE}'] li.flagged",
                           has_text="c-pages-old")
    expect(flagged).to_have_count(1)
    expect(flagged.locator("mark")).to_have_text("绝对靠谱")
    expect(flagged.locator("a")).to_have_attribute("href", "/conversations/c-pages-old#u-2")
    shot(page, "rule-version-dry-run")
    page.click("#publish-form button[type=submit]")
    expect(page.locator("#state")).to_have_text("当前发布")
    fresh = submit(server, tokens.admin, call("c-pages-new", 6))
    assert [f["ruleset_version"] for f in fresh["findings"] if f["rule_id"] == NEW_RULE] == [2]

    page.goto(f"{server.url}/rules/versions")
    page.fill("#reinspect-form input[name=since]", "2026-11-01")
    page.fill("#reinspect-form input[name=until]", "2026-11-30")
    page.click("#reinspect-form button[type=submit]")
    expect(page.locator("#runs .run-progress").first).to_have_text(re.compile(r"^(\d+)/\1$"),
                                                                   timeout=30_000)
    shot(page, "rule-versions-reinspected")
    page.goto(f"{server.url}/conversations/c-pages-old")
    expect(finding_card(page, NEW_RULE)).to_have_count(1)

    page.goto(f"{server.url}/rules/versions/1")
    page.click("#publish-form button[type=submit]")
    expect(page.locator("#state")).to_have_text("当前发布")
    page.goto(f"{server.url}/rules/versions")
    expect(page.locator("#publications tbody tr").first).to_contain_text("回滚")
    after = submit(server, tokens.admin, call("c-pages-after", 7))
    assert NEW_RULE not in {f["rule_id"] for f in after["findings"]}
    page.goto(f"{server.url}/rules")
    expect(page.locator("h1")).to_contain_text("v1")
    shot(page, "rules-after-rollback")


def test_a_reviewer_records_a_miss_on_the_conversation_page(server: Server, tokens: Tokens,
                                                            page: Page) -> None:
    record = submit(server, tokens.admin, call("c-pages-miss", 9))
    login(page, server, tokens.reviewer, f"/conversations/{record['id']}")
    page.select_option("#miss-form select[name=rule_id]", "fin.risk_disclosure")
    page.fill("#miss-form input[name=utterance_index]", "2")
    page.fill("#miss-form input[name=comment]", "推荐产品未提示风险")
    page.click("#miss-form button[type=submit]")
    expect(page.locator("#misses .miss")).to_contain_text("fin.risk_disclosure 第 2 句")
    stats = httpx.get(f"{server.url}/api/rules/stats",
                      headers={"Authorization": f"Bearer {tokens.admin}"}).json()
    row = next(r for r in stats if r["rule_id"] == "fin.risk_disclosure")
    assert row["missed_elsewhere"] == 1
    shot(page, "conversation-miss")
