"""The first hour of a QA lead with the demo month (docs/quickstart.md), in headless Chromium:
the team dashboard, an agent's scorecard and bonus, a call whose audio seeks to its evidence,
a veto reviewed, appealed by the agent and decided, the supervisor's own team, a call uploaded
and transcribed, tickets imported.

Screenshots go to tests/artifacts/pages/first-hour-*.png; with ZHIJIAN_DOC_IMAGES=1 the ones
the guide shows are also copied into docs/images/ (so `make test` leaves the tree alone).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.api.demo_database import DEMO, first_load, loaded_copy
from tests.pages.browser import Server, login, running_server, shot

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DOC_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
VETO_CALL = "c-20261127-A211-rec"
UPLOADED = "c-demo-upload-1"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The demo month loaded (one load per session, copied) behind uvicorn on a free port."""
    settings = loaded_copy(tmp_path_factory.mktemp("first-hour"))
    with running_server(settings, "first-hour", start_timeout=60) as server:
        yield server


def token(role: str) -> str:
    return next(token for login_, token in first_load().logins if login_.role == role)


def keep(page: Page, name: str, *, for_guide: bool = True) -> None:
    """A screenshot under tests/artifacts/pages/; copied to docs/images/ when asked."""
    path = shot(page, f"first-hour-{name}")
    if for_guide and os.environ.get("ZHIJIAN_DOC_IMAGES") == "1":
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOC_IMAGES / f"quickstart-{name}.png")


def finding(page: Page, rule_id: str) -> Locator:
    return page.locator("article.finding", has=page.locator(f"code:text-is('{rule_id}')"))


def test_the_team_dashboard_opens_on_the_current_month(demo_server: Server, page: Page) -> None:
    login(page, demo_server, token("qa_reviewer"), "/team")
    expect(page.locator("h1")).to_contain_text("2026-11")
    for shown in ("得分分布", "近三个月趋势", "技能 × 坐席 热力图", "连续 3 天"):
        expect(page.locator("main")).to_contain_text(shown)
    expect(page.locator(".alert")).not_to_have_count(0)
    keep(page, "team")


def test_an_agent_page_has_a_complete_scorecard_bonus_and_trend(demo_server: Server,
                                                                 page: Page) -> None:
    login(page, demo_server, token("qa_reviewer"), "/agents/A221")
    expect(page.locator("main")).to_contain_text("绩效奖金")
    expect(page.locator("main")).to_contain_text("数据覆盖权重 100%")  # manual.csv: the knowledge test
    expect(page.locator("svg.trend circle")).to_have_count(3)
    # a metric gap says which reference it misses: A221's response time meets its target and is
    # a gap only against the team median, so the page must not read as a missed target
    gap = page.locator("p", has_text="指标差距：平均响应时长")
    expect(gap).to_contain_text("目标 30 已达到")
    expect(gap).to_contain_text("差于团队中位")
    keep(page, "agent")


def test_the_call_page_plays_and_seeks_to_the_evidence(demo_server: Server, page: Page) -> None:
    login(page, demo_server, token("qa_reviewer"), f"/conversations/{VETO_CALL}")
    evidence = finding(page, "fin.guaranteed_return").locator(".evidence button")
    seek = float(evidence.get_attribute("data-seek") or "nan")
    evidence.click()
    assert abs(page.evaluate("document.getElementById('player').currentTime") - seek) < 0.5
    expect(page.locator(".turn.flash")).to_have_count(1)
    keep(page, "call")


def test_a_veto_is_confirmed_appealed_by_the_agent_and_decided(demo_server: Server,
                                                               browser: Browser) -> None:
    reviewer = browser.new_context(viewport={"width": 1366, "height": 860}, locale="zh-CN")
    page = reviewer.new_page()
    login(page, demo_server, token("qa_reviewer"), "/review")
    expect(page.locator("main")).to_contain_text(VETO_CALL)
    keep(page, "review-queue")
    page.goto(f"{demo_server.url}/conversations/{VETO_CALL}")
    card = finding(page, "fin.guaranteed_return")
    card.locator("textarea[name=comment]").fill("录音里明确承诺保本，确认。")
    card.locator("button[value=confirm]").click()
    expect(finding(page, "fin.guaranteed_return").locator(".review-state")).to_have_text("已确认")

    agent = browser.new_context(viewport={"width": 1366, "height": 860}, locale="zh-CN")
    mine = agent.new_page()
    login(mine, demo_server, token("agent"))
    expect(mine).to_have_url(re.compile(r"/agents/A211"))
    keep(mine, "agent-own-page", for_guide=False)
    mine.goto(f"{demo_server.url}/conversations/{VETO_CALL}")
    appeal = finding(mine, "fin.guaranteed_return")
    appeal.locator("textarea[name=reason]").fill("我后面说了以产品说明书为准，请复听。")
    appeal.locator("button.appeal").click()
    expect(finding(mine, "fin.guaranteed_return").locator(".appeal-state")).to_have_text("申诉中")
    keep(mine, "appeal")
    agent.close()

    page.reload()
    decision = finding(page, "fin.guaranteed_return").locator("form.appeal-decision")
    decision.locator("textarea[name=comment]").fill("复听录音，承诺保本属实，维持原判。")
    decision.locator("button[value=uphold]").click()
    expect(finding(page, "fin.guaranteed_return").locator(".appeal-state")).to_have_text(
        "申诉驳回")
    keep(page, "appeal-decided")
    reviewer.close()


def test_the_supervisor_sees_their_own_team(demo_server: Server, page: Page) -> None:
    login(page, demo_server, token("supervisor"), "/team")
    expect(page.locator("main")).to_contain_text("财富营销组")
    expect(page.locator("main")).not_to_contain_text("A201")
    keep(page, "supervisor", for_guide=False)


def test_an_uploaded_call_is_transcribed_and_inspected(demo_server: Server, page: Page) -> None:
    login(page, demo_server, token("qa_reviewer"), "/upload")
    page.set_input_files("#file", str(DEMO / "calls" / "card_bill_star.flac"))
    page.fill("input[name=id]", UPLOADED)
    page.fill("input[name=agent_id]", "A201")
    page.fill("input[name=industry]", "finance")
    keep(page, "upload")
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(f"**/conversations/{UPLOADED}", timeout=60_000)
    expect(page.locator("main")).to_contain_text("已完成", timeout=300_000)
    expect(page.locator(".turn")).not_to_have_count(0)
    keep(page, "uploaded")


def test_tickets_import_with_bad_rows_reported(demo_server: Server) -> None:
    body = (DEMO / "import" / "tickets-extra.csv").read_bytes()
    response = httpx.post(f"{demo_server.url}/api/tickets", content=body, timeout=60,
                          headers={"Authorization": f"Bearer {token('supervisor')}",
                                   "content-type": "text/csv"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["imported"] == 4 and len(report["errors"]) == 2
