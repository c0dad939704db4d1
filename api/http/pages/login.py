"""Login (token → HttpOnly session cookie), logout, and the role's home page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from api.http.deps import SESSION_COOKIE, PrincipalDep, SessionDep
from api.http.pages.rendering import PageRoute, render, urlpart
from api.services.users import hash_token, principal_for
from models.enums import UserRole

router = APIRouter(route_class=PageRoute, include_in_schema=False)
COOKIE_MAX_AGE = 12 * 3600


def safe_next(target: str | None) -> str:
    """Only same-site paths: `/review`, never `//evil.example` or `https://…`."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", None, next=safe_next(next), message=None)


@router.post("/login")
def login(request: Request, session: SessionDep, token: Annotated[str, Form(max_length=500)],
          next: Annotated[str, Form()] = "/") -> Response:
    if principal_for(session, token_hash=hash_token(token.strip())) is None:
        return render(request, "login.html", None, status_code=401, next=safe_next(next),
                      message="令牌无效：请使用 zhijian users create 打印的令牌")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token.strip(), max_age=COOKIE_MAX_AGE, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/")
    return response


@router.post("/logout")
def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(principal: PrincipalDep) -> Response:
    """Agents land on their own page; everyone else on the review queue."""
    if principal.role == UserRole.AGENT:
        return RedirectResponse(f"/agents/{urlpart(principal.agent_id or '')}", status_code=303)
    return RedirectResponse("/review", status_code=303)
