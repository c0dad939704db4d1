"""Browser fixtures: the app under uvicorn on a free port, users, headless Chromium (Playwright).

Chromium is Debian's `/usr/bin/chromium` (the Makefile installs it); `playwright install`
is never run. A missing browser fails the tests with the command to fix it, never skips them.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from api.services.users import create_user
from api.settings import Settings
from models import session_scope
from tests.pages.browser import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    EXAMPLES,
    Server,
    Tokens,
    running_server,
    watch_csp,
)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = tmp_path_factory.mktemp("pages-data")
    settings = Settings(data_dir=data, database_url=f"sqlite:///{data / 'zhijian.db'}",
                        sentiment_enabled=False, job_workers=2)
    with running_server(settings, "pages") as server:
        yield server


@pytest.fixture(scope="session")
def tokens(server: Server) -> Tokens:
    with session_scope(server.app.state.runtime.engine) as session:
        def token(name: str, role: str, **scope: str) -> str:
            return create_user(session, name=name, role=role, **scope)[1]

        return Tokens(
            admin=token("管理员", "admin"), reviewer=token("质检员小李", "qa_reviewer"),
            supervisor=token("班组长", "supervisor", team_id="财富营销组"),
            agent=token("小陈", "agent", agent_id="A023", team_id="财富营销组"),
            other_agent=token("小王", "agent", agent_id="A017", team_id="t1"))


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} not found: apt-get install -y chromium fonts-noto-cjk "
                    "(see the Makefile), or set ZHIJIAN_CHROMIUM")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile per test: no cookies carried over."""
    fresh = browser.new_context(viewport={"width": 1366, "height": 860}, locale="zh-CN")
    fresh.set_default_timeout(15_000)
    yield fresh
    fresh.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page that fails its test if the Content-Security-Policy blocked anything on it."""
    opened = context.new_page()
    violations = watch_csp(opened)
    yield opened
    assert violations == [], "CSP violations"




@pytest.fixture(scope="session")
def tickets(server: Server, tokens: Tokens) -> int:
    """examples/tickets.csv imported through the API (September–November 2026)."""
    body = (EXAMPLES.parent / "tickets.csv").read_bytes()
    response = httpx.post(f"{server.url}/api/tickets", content=body,
                          headers={"Authorization": f"Bearer {tokens.admin}"})
    response.raise_for_status()
    imported: int = response.json()["imported"]
    return imported
