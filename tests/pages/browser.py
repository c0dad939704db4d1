"""Helpers for the browser tests: the running server, users' tokens, login, screenshots."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Page

from api.http.app import create_app
from api.settings import Settings

CHROMIUM = Path(os.environ.get("ZHIJIAN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--lang=zh-CN"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "pages"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "conversations"


@dataclass(frozen=True)
class Server:
    url: str
    app: FastAPI
    settings: Settings


@dataclass(frozen=True)
class Tokens:
    admin: str
    reviewer: str
    supervisor: str
    agent: str  # A023, the agent of examples/conversations/finance_outbound_wealth.json
    other_agent: str  # A017, another team


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def watch_csp(page: Page) -> list[str]:
    """The Content-Security-Policy violations Chromium reports on `page` from now on (it logs
    each as a console error: "Refused to … because it violates the following Content Security
    Policy directive …")."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    return violations


def login(page: Page, server: Server, token: str, next_path: str = "/") -> None:
    page.goto(f"{server.url}/login?next={next_path}")
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/pages/ (gitignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def running_server(settings: Settings, name: str, start_timeout: float = 30.0) -> Iterator[Server]:
    """The app for `settings` under uvicorn on a free port, in a thread, until the block ends."""
    app = create_app(settings)
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, name=f"uvicorn-{name}", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail(f"uvicorn did not start within {start_timeout:.0f} s")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", app, settings)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)


def submit_and_wait(server: Server, token: str, path: Path) -> str:
    """POST the conversation JSON at `path` with a bearer token; wait until its job is done."""
    body = json.loads(path.read_text(encoding="utf-8"))
    headers = {"Authorization": f"Bearer {token}"}
    httpx.post(f"{server.url}/api/conversations", json=body, headers=headers).raise_for_status()
    deadline = time.monotonic() + 30
    while httpx.get(f"{server.url}/api/conversations/{body['id']}",
                    headers=headers).json()["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, "inspection job did not finish"
        time.sleep(0.1)
    return str(body["id"])
