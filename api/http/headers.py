"""Security headers on every response the app sends (pure ASGI middleware: no buffering).

* `Content-Security-Policy`: scripts, styles and everything else only from this origin, no
  inline script or style (the pages keep theirs in `/static/pages`), no plugins, no `<base>`,
  forms post only here, and no framing (`frame-ancestors 'none'`). A route may send its own
  policy instead (the API docs page, `api.http.docs`).
* `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (older browsers' framing guard).
* `Referrer-Policy: same-origin`: no URL (conversation and agent ids) leaves for another site,
  and the service's own form posts keep their `Referer` for the CSRF origin check.
* `Cache-Control: no-store` on everything but the static files: pages and API answers hold
  personal data, and no browser or proxy cache may keep them.

Starlette's own 500 page is sent outside this middleware (it sits outermost); the service
answers bad input with 4xx, which pass through here.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
    "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"))
ALWAYS = (("x-content-type-options", "nosniff"), ("x-frame-options", "DENY"),
          ("referrer-policy", "same-origin"))


class SecurityHeaders:
    """Adds the headers above; paths under `cacheable_prefix` (static files) may be cached."""

    def __init__(self, app: ASGIApp, *, cacheable_prefix: str) -> None:
        self.app = app
        self.cacheable_prefix = cacheable_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith(self.cacheable_prefix)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", PAGE_POLICY)
                for name, value in ALWAYS:
                    headers[name] = value
                if not cacheable:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
