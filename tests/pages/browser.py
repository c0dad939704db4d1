"""Helpers for the browser tests: the running server, users' tokens, login, screenshots."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from playwright.sync_api import Page

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
