"""Authentication at the edge: role checks, and the CSRF defences of cookie sessions.

Who calls is read from the database on every request (`api.http.deps.get_principal`): a
revoked user or a changed role holds from the next request on. A bearer token is not sent by
browsers on their own, so bearer calls need nothing more. A request carrying only the session
cookie may come from a page of another site; when it changes state it must also

* come from this server's own origin: `Origin` (else `Referer`) is this origin or one of
  `ZHIJIAN_TRUSTED_ORIGINS`; `Origin: null` never passes; a request with neither is judged by
  its token alone (browsers send `Origin` on every POST);
* carry the session's CSRF token: the `X-CSRF-Token` header, which the pages' scripts send
  (the logout form, the one HTML form that posts with the session, sends the `csrf_token`
  field). The token is derived from the session id, so it is tied to one session, and a page
  of another origin cannot read it.

The login form has no session yet: it is protected by a pre-session token, set as a cookie
when the form is shown and repeated in a hidden field (double submit), plus the origin check.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import Request

from api.http.errors import PermissionDeniedError
from api.services.access import Principal
from models.enums import UserRole, ordered

SESSION_COOKIE = "zhijian_session"
LOGIN_CSRF_COOKIE = "zhijian_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def require_role(principal: Principal, roles: frozenset[UserRole]) -> None:
    """`PermissionDeniedError` (403) unless the caller's role is one of `roles`
    (a role group of `models.enums`)."""
    if principal.role not in roles:
        allowed = " / ".join(ordered(roles))
        raise PermissionDeniedError(f"角色 {principal.role} 无权执行此操作（需要 {allowed}）")


def csrf_token_for(session_id: str) -> str:
    """The CSRF token of a session: a one-way function of its id (a page shows it; the id
    cannot be worked back from it)."""
    return hmac.new(session_id.encode("utf-8"), b"zhijian-csrf", hashlib.sha256).hexdigest()


def new_login_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def check_origin(request: Request, trusted: list[str]) -> None:
    """`PermissionDeniedError` unless the request comes from this server's origin (or a
    trusted one), judged by `Origin`, else by `Referer`; neither header: let the token judge."""
    origin = request.headers.get("origin")
    if origin is None and (referer := request.headers.get("referer")):
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin is None:
        return
    if origin.rstrip("/") != own_origin(request) and origin.rstrip("/") not in trusted:
        raise PermissionDeniedError(f"请求来源 {origin} 不是本站：跨站请求已拒绝")


def check_session_csrf(request: Request, session_id: str, *, form_token: str | None = None,
                       trusted: list[str]) -> None:
    """The two checks a cookie-authenticated state change must pass (see the module doc)."""
    check_origin(request, trusted)
    given = form_token if form_token is not None else request.headers.get(CSRF_HEADER)
    if not tokens_match(given, csrf_token_for(session_id)):
        raise PermissionDeniedError(f"缺少或错误的 CSRF 令牌（{CSRF_HEADER}）：请刷新页面后重试")
