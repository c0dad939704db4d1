"""Login (token → a server-side session named by an HttpOnly cookie), logout, and the role's
home page. The CSRF defences of both forms are described in `api.http.auth`."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from api.http.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    check_origin,
    check_session_csrf,
    new_login_csrf_token,
    tokens_match,
)
from api.http.deps import PrincipalDep, RuntimeDep
from api.http.errors import PermissionDeniedError
from api.http.pages.rendering import PageRoute, render, urlpart
from api.services.sessions import SessionLimits, end_session, start_session
from api.services.users import CredentialsRejectedError, hash_token, principal_for_token
from models.enums import UserRole

logger = logging.getLogger(__name__)
router = APIRouter(route_class=PageRoute, include_in_schema=False)
FORM_EXPIRED = "登录表单已失效或来自其他网站：请重新打开登录页再登录"


def safe_next(target: str | None) -> str:
    """Only same-site paths: `/review`, never `//evil.example` or `https://…`."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def login_page(request: Request, next_path: str, *, message: str | None = None,
               status_code: int = 200) -> Response:
    """The login form with its pre-session CSRF token (kept from the cookie when present)."""
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_login_csrf_token()
    response = render(request, "login.html", None, status_code=status_code,
                      next=safe_next(next_path), message=message, login_csrf=token)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login",
                        secure=request.url.scheme == "https")
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return login_page(request, next)


def _genuine_form(request: Request, csrf_token: str, trusted: list[str]) -> bool:
    """Posted from this site's own login form: same origin, and the form's token matches the
    pre-session cookie (a page of another site can neither read nor set it)."""
    try:
        check_origin(request, trusted)
    except PermissionDeniedError:
        return False
    return tokens_match(csrf_token, request.cookies.get(LOGIN_CSRF_COOKIE) or "")


@router.post("/login")
def login(request: Request, runtime: RuntimeDep, token: Annotated[str, Form(max_length=500)],
          next: Annotated[str, Form()] = "/", csrf_token: Annotated[str, Form()] = "") -> Response:
    if not _genuine_form(request, csrf_token, runtime.settings.trusted_origins):
        return login_page(request, next, message=FORM_EXPIRED, status_code=403)
    limits = SessionLimits.of(runtime.settings)
    with runtime.session() as session:  # committed before the browser follows the redirect
        try:
            principal = principal_for_token(session, token_hash=hash_token(token.strip()))
        except CredentialsRejectedError as error:
            return login_page(request, next, status_code=401,
                              message=f"{error}（请使用 zhijian users create 打印的令牌）")
        if previous := request.cookies.get(SESSION_COOKIE):
            end_session(session, session_id=previous)  # a fresh id per login: no fixation
        session_id = start_session(session, user_id=principal.user_id, limits=limits)
    logger.info("登录：%s", principal.actor)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, session_id, max_age=int(limits.absolute.total_seconds()),
                        httponly=True, samesite="lax", secure=request.url.scheme == "https",
                        path="/")
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request, runtime: RuntimeDep,
           csrf_token: Annotated[str, Form()] = "") -> Response:
    """End the session on the server (a copied cookie stops working too) and drop the cookie."""
    if session_id := request.cookies.get(SESSION_COOKIE):
        check_session_csrf(request, session_id, form_token=csrf_token,
                           trusted=runtime.settings.trusted_origins)
        with runtime.session() as session:
            end_session(session, session_id=session_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(principal: PrincipalDep) -> Response:
    """Agents land on their own page; everyone else on the review queue."""
    if principal.role == UserRole.AGENT:
        return RedirectResponse(f"/agents/{urlpart(principal.agent_id or '')}", status_code=303)
    return RedirectResponse("/review", status_code=303)
