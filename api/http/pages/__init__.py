"""Server-rendered reviewer and agent web pages (Chinese UI), served by the API app itself.

`install_pages(app)` adds the page routes, the CSV helper under `/pages/api` and the static
files under `/static/pages`. Pages authenticate like the API: the `zhijian_token` session
cookie set by `/login`, or an `Authorization: Bearer` header. See docs/pages.md.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.http.pages import agents, conversation, login, review, rules, upload
from api.http.pages.rendering import PAGES_DIR, STATIC_URL

__all__ = ["install_pages"]


def install_pages(app: FastAPI) -> None:
    for module in (login, review, rules, conversation, agents, upload):
        app.include_router(module.router)
    app.include_router(upload.helpers)
    app.mount(STATIC_URL, StaticFiles(directory=PAGES_DIR / "static"), name="pages-static")
