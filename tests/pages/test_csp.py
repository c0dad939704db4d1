"""Every page under the Content-Security-Policy (issue 15 item 9): Chromium reports no violation
on any page, for a reviewer and for an agent, and the page scripts still work (they run from
the static file, never inline), including a review decision sent with the CSRF header."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.pages.browser import EXAMPLES, Server, Tokens, login, submit_and_wait, watch_csp

pytestmark = pytest.mark.browser
CARD_CALL = EXAMPLES / "complaint_call.json"  # agent A017, several findings


@pytest.fixture(scope="module")
def card_call(server: Server, tokens: Tokens) -> str:
    return submit_and_wait(server, tokens.admin, CARD_CALL)


def _tour(page: Page, server: Server, paths: list[str]) -> list[str]:
    """Open each path; the violations Chromium reported (each page is under a CSP)."""
    violations = watch_csp(page)
    for path in paths:
        response = page.goto(f"{server.url}{path}")
        assert response is not None
        assert "default-src 'self'" in response.headers.get("content-security-policy", ""), path
        page.wait_for_load_state("networkidle")
    return violations


def test_no_page_violates_the_csp(server: Server, tokens: Tokens, card_call: str, tickets: int,
                                  page: Page) -> None:
    assert _tour(page, server, ["/login"]) == []
    login(page, server, tokens.admin, "/review")
    paths = ["/review", "/team", "/rules", "/upload", f"/conversations/{card_call}",
             "/agents/A017?period=2026-11", "/no-such-page", "/conversations/nope", "/docs"]
    assert _tour(page, server, paths) == []


def test_the_team_bars_are_drawn_without_inline_styles(server: Server, tokens: Tokens,
                                                       card_call: str, tickets: int,
                                                       page: Page) -> None:
    login(page, server, tokens.admin, "/team?period=2026-11")
    bars = page.locator(".bars .bar")
    expect(bars.first).to_be_attached()
    widths = [bars.nth(i).evaluate("b => b.style.width") for i in range(bars.count())]
    assert any(re.fullmatch(r"[1-9]\d*(\.\d+)?%", w) for w in widths), widths
    heat = page.locator("td.heat").first
    assert heat.evaluate("c => c.style.getPropertyValue('--heat')") != ""


def test_an_agent_tour_and_a_scripted_action_under_the_csp(server: Server, tokens: Tokens,
                                                           card_call: str, page: Page) -> None:
    login(page, server, tokens.reviewer, f"/conversations/{card_call}")
    violations = watch_csp(page)
    card = page.locator("article.finding").first
    card.locator("button.confirm").click()
    expect(page.locator("article.finding").first.locator(".review-state")).to_have_text("已确认")
    page.click("text=退出")
    expect(page).to_have_url(re.compile(r"/login$"))
    login(page, server, tokens.agent)
    expect(page).to_have_url(re.compile(r"/agents/A023"))
    assert _tour(page, server, ["/agents/A023", "/review"]) == [] and violations == []
