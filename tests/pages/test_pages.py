"""The reviewer and agent pages in headless Chromium: log in, upload, review, appeal, boundaries.

Every page visited is saved as a screenshot under tests/artifacts/pages/.
"""

from __future__ import annotations

import re
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from models import Conversation, session_scope
from tests.pages.browser import EXAMPLES, Server, Tokens, login, shot, submit_and_wait

pytestmark = pytest.mark.browser
WEALTH = EXAMPLES / "finance_outbound_wealth.json"
WEALTH_ID = "c-20261101-0002"  # agent A023: guaranteed-return veto, recording and risk notices missing


@pytest.fixture(scope="module")
def uploaded(server: Server, tokens: Tokens, browser: Browser) -> Iterator[str]:
    """The wealth-sales call uploaded through the upload page by a reviewer."""
    context = browser.new_context(viewport={"width": 1366, "height": 860}, locale="zh-CN")
    page = context.new_page()
    login(page, server, tokens.reviewer, "/upload")
    expect(page).to_have_url(re.compile(r"/upload$"))
    shot(page, "upload")
    page.set_input_files("#file", str(WEALTH))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(f"**/conversations/{WEALTH_ID}", timeout=30_000)
    context.close()
    yield WEALTH_ID


@pytest.fixture(scope="module")
def collections_call(server: Server, tokens: Tokens) -> str:
    """A collections call (abuse veto, awaiting review) submitted through the API."""
    return submit_and_wait(server, tokens.admin, EXAMPLES / "collections_call.json")


def finding_card(page: Page, rule_id: str) -> Locator:
    return page.locator("article.finding", has=page.locator(f"code:text-is('{rule_id}')"))


def test_login_rejects_a_bad_token_and_sets_an_httponly_cookie(
        server: Server, tokens: Tokens, page: Page, context: BrowserContext) -> None:
    page.goto(f"{server.url}/review")
    expect(page).to_have_url(re.compile(r"/login\?next=/review"))
    page.fill("#token", "zj_not-a-token")
    page.click("button[type=submit]")
    expect(page.locator(".alert")).to_contain_text("令牌无效")
    shot(page, "login")
    login(page, server, tokens.reviewer, "/review")
    expect(page).to_have_url(re.compile(r"/review$"))
    cookie = next(c for c in context.cookies() if c["name"] == "zhijian_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.click("text=退出")
    expect(page).to_have_url(re.compile(r"/login$"))
    assert not [c for c in context.cookies() if c["name"] == "zhijian_session"]


def test_conversation_shows_findings_on_their_evidence_and_overturn_rescores(
        server: Server, tokens: Tokens, uploaded: str, page: Page) -> None:
    login(page, server, tokens.reviewer, f"/conversations/{uploaded}")
    veto = finding_card(page, "fin.guaranteed_return")
    expect(veto).to_have_class(re.compile(r"\bveto\b"))
    finding_id = veto.get_attribute("id").removeprefix("f-")  # type: ignore[union-attr]
    mark = page.locator(f"mark.hit[data-finding='{finding_id}']")
    expect(mark).to_be_visible()
    expect(mark.locator("xpath=ancestor::div[contains(@class,'turn')]")).to_have_class(
        re.compile(r"\bagent\b"))
    expect(page.locator("#score")).to_have_text("70")  # the veto awaits a reviewer: not counted
    expect(page.locator("#veto-pending")).to_have_text("否决待确认")
    expect(page.locator(".turn.customer .sentiment").first).to_have_text("情绪：未分析")
    shot(page, "conversation-before-review")
    veto.locator("textarea[name=comment]").fill("客户已被告知产品不保本，系误报")
    veto.locator("button.overturn").click()
    expect(page.locator("#score")).to_have_text("70")
    veto = finding_card(page, "fin.guaranteed_return")
    expect(veto).to_have_class(re.compile(r"\boverturned\b"))
    expect(veto.locator(".review-state")).to_have_text("已推翻")
    shot(page, "conversation-after-overturn")
    page.goto(f"{server.url}/rules")
    rule = page.locator("details#rule-fin\\.guaranteed_return")
    expect(rule.locator(".precision")).to_contain_text("精确率 0%（0/1）")
    rule.locator("summary").click()
    shot(page, "rules")


def test_review_queue_filters_and_counts(server: Server, tokens: Tokens, collections_call: str,
                                         page: Page) -> None:
    login(page, server, tokens.admin, "/review")
    expect(page.locator("#queue tr.veto-row")).to_contain_text(collections_call)
    expect(page.locator(".tile.danger b")).not_to_have_text("0")
    shot(page, "review-queue")
    page.select_option("select[name=rule]", "svc.abusive_language")
    page.click(".filters button[type=submit]")
    expect(page.locator(".empty")).to_have_text("没有待复核的会话。")
    expect(page).to_have_url(re.compile(r"rule=svc.abusive_language"))


def test_agent_page_scorecard_coaching_and_appeal(server: Server, tokens: Tokens, uploaded: str,
                                                  tickets: int, page: Page) -> None:
    login(page, server, tokens.agent)
    expect(page).to_have_url(re.compile(r"/agents/A023"))
    expect(page.locator("nav a")).to_have_text(["我的绩效"])
    expect(page.locator("h2", has_text="评分卡")).to_be_visible()
    expect(page.locator(".score-card .score, .card .score").first).not_to_have_text("—")
    expect(page.locator("svg.trend circle")).to_have_count(3)
    expect(page.locator(".rec").first).to_be_visible()
    expect(page.locator(".rec a").first).to_have_attribute("href", re.compile(r"/conversations/"))
    shot(page, "agent")
    card = finding_card(page, "fin.risk_disclosure")
    card.locator("textarea[name=reason]").fill("我在后面补充了风险提示，只是转写漏了")
    card.locator("button.appeal").click()
    expect(finding_card(page, "fin.risk_disclosure").locator(".appeal-state")).to_have_text("申诉中")
    shot(page, "agent-after-appeal")


def test_an_agent_cannot_open_another_agents_pages(server: Server, tokens: Tokens, uploaded: str,
                                                   page: Page) -> None:
    login(page, server, tokens.other_agent)
    expect(page).to_have_url(re.compile(r"/agents/A017"))
    for path, status in (("/agents/A023", 404), (f"/conversations/{uploaded}", 404),
                         (f"/conversations/{uploaded}/audio", 404), ("/review", 403),
                         ("/team", 403), ("/upload", 403)):
        response = page.goto(f"{server.url}{path}")
        assert response is not None and response.status == status, path
        expect(page.locator("h1")).to_contain_text(str(status))
    shot(page, "agent-forbidden")


def test_pages_accept_the_api_bearer_header(server: Server, tokens: Tokens, uploaded: str) -> None:
    def status(token: str, path: str) -> int:
        return httpx.get(f"{server.url}{path}", headers={"Authorization": f"Bearer {token}"},
                         follow_redirects=False).status_code

    assert status(tokens.reviewer, f"/conversations/{uploaded}") == 200
    assert status(tokens.supervisor, "/agents/A023") == 200
    assert status(tokens.supervisor, "/agents/A017") == 404
    assert status(tokens.supervisor, "/team?team=t1") == 403
    assert status(tokens.other_agent, "/agents/A023") == 404
    assert status("zj_wrong", "/review") == 303


def test_team_dashboard(server: Server, tokens: Tokens, uploaded: str, tickets: int,
                        page: Page) -> None:
    login(page, server, tokens.supervisor, "/team")
    expect(page.locator("h1")).to_contain_text("财富营销组")
    expect(page.locator("table.heatmap")).to_contain_text("A023")
    expect(page.locator(".bars .bar-row")).to_have_count(5)
    shot(page, "team")


def test_chat_csv_upload_shows_progress(server: Server, tokens: Tokens, page: Page) -> None:
    login(page, server, tokens.admin, "/upload")
    page.set_input_files("#file", str(EXAMPLES / "ecommerce_chat.csv"))
    page.click("#upload-form button[type=submit]")
    statuses = page.locator("#progress .status")
    expect(statuses).to_have_count(2)
    done = re.compile(r"^已完成 · 得分 \d+")
    try:
        expect(statuses).to_have_text([done, done], timeout=45_000)
    finally:
        shot(page, "upload-csv-progress")


def _silent_wav(path: Path, seconds: float) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * int(8000 * seconds))


def test_clicking_a_finding_seeks_the_recording(server: Server, tokens: Tokens,
                                                collections_call: str, page: Page) -> None:
    recording = server.settings.data_dir / "call.wav"
    _silent_wav(recording, 40.0)
    with session_scope(server.app.state.runtime.engine) as session:
        row = session.get(Conversation, collections_call)
        assert row is not None
        row.audio_path = str(recording)
    login(page, server, tokens.reviewer, f"/conversations/{collections_call}")
    card = finding_card(page, "fin.collection_abuse")
    card.locator(".evidence button").click()
    seconds = page.evaluate("document.getElementById('player').currentTime")
    assert abs(seconds - 21.7) < 0.5
    expect(page.locator(".turn.flash")).to_have_count(1)
    shot(page, "conversation-audio")
