"""The API's documentation, for signed-in users only: `/openapi.json` (bearer token or session
cookie; 401 without) and `/docs` (Swagger UI; without a session the browser goes to /login).
ReDoc is not served.

Swagger UI's script and stylesheet come from its CDN (fastapi's default); the page's own CSP
allows that CDN and, by its hash, the one inline script that starts the UI, nothing else.
From `/docs`, state-changing calls need "Authorize" with a bearer token: the session cookie
alone is refused without the pages' CSRF header.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from api.http.deps import PrincipalDep
from api.http.pages.rendering import PageRoute

OPENAPI_URL = "/openapi.json"
SWAGGER_CDN = "https://cdn.jsdelivr.net"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def docs_policy(html: str) -> str:
    """The docs page's CSP: the CDN, plus the page's inline scripts by their SHA-256."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in INLINE_SCRIPT.findall(html))
    return "; ".join((
        "default-src 'self'", f"script-src 'self' {SWAGGER_CDN} {hashes}",
        f"style-src 'self' {SWAGGER_CDN} 'unsafe-inline'",  # Swagger UI sets style attributes
        "img-src 'self' data: https://fastapi.tiangolo.com", "object-src 'none'",
        "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"))


def install_docs(app: FastAPI) -> None:
    """Add `/openapi.json` and `/docs`; create the app with `openapi_url=None, docs_url=None,
    redoc_url=None` so that fastapi's public ones are not there too."""
    page = get_swagger_ui_html(openapi_url=OPENAPI_URL, title=f"{app.title} · API")
    html = bytes(page.body).decode("utf-8")
    headers = {"Content-Security-Policy": docs_policy(html)}
    schema = APIRouter(include_in_schema=False)
    pages = APIRouter(route_class=PageRoute, include_in_schema=False)

    @schema.get(OPENAPI_URL)
    async def openapi(principal: PrincipalDep) -> JSONResponse:
        document: dict[str, Any] = app.openapi()
        return JSONResponse(document)

    @pages.get("/docs")
    async def docs(principal: PrincipalDep) -> HTMLResponse:
        return HTMLResponse(html, headers=headers)

    app.include_router(schema)
    app.include_router(pages)
