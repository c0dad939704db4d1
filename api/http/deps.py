"""`Annotated` dependencies: the runtime, the job queue, a session, the authenticated caller,
and the JSON-only body check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.http.auth import SAFE_METHODS, SESSION_COOKIE, check_session_csrf, csrf_token_for
from api.http.errors import UnauthenticatedError, UnsupportedMediaTypeError
from api.jobs.runner import JobQueue
from api.runtime import Runtime
from api.services.access import Principal
from api.services.sessions import SessionLimits, principal_for_session
from api.services.users import CredentialsRejectedError, hash_token, principal_for_token

bearer = HTTPBearer(auto_error=False, description="zhijian users create 打印的令牌")
JSON_TYPES = ("application/json",)


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, a thread hand-off per dependency per request.
async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_jobs(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
JobsDep = Annotated[JobQueue, Depends(get_jobs)]


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    with runtime.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def get_principal(
    request: Request,
    runtime: RuntimeDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller: the bearer token's user, else the session cookie's. Read from the database
    on every request (in the thread pool), so a revocation or role change holds at once. A
    cookie-authenticated state change must pass the CSRF checks of `api.http.auth` (its
    token for page templates is left on `request.state.csrf_token`)."""
    if credentials:
        return await run_in_threadpool(_load, runtime, token=credentials.credentials)
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        raise UnauthenticatedError("缺少身份令牌：请使用 Authorization: Bearer <token>，或在 /login 登录")
    if request.method not in SAFE_METHODS:  # the token comes as a header: bodies stay unread
        check_session_csrf(request, session_id, trusted=runtime.settings.trusted_origins)
    principal = await run_in_threadpool(_load, runtime, session_id=session_id)
    request.state.csrf_token = csrf_token_for(session_id)
    return principal


def _load(runtime: Runtime, *, token: str | None = None, session_id: str | None = None
          ) -> Principal:
    try:
        with runtime.session() as session:
            if token is not None:
                return principal_for_token(session, token_hash=hash_token(token))
            assert session_id is not None
            return principal_for_session(session, session_id=session_id,
                                         limits=SessionLimits.of(runtime.settings))
    except CredentialsRejectedError as error:
        raise UnauthenticatedError(str(error)) from None


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def check_json_body(request: Request) -> None:
    """415 for a state change whose body is not `application/json` (with or without a
    charset): a page of another site can post `text/plain` or a form, never JSON."""
    if request.method in SAFE_METHODS:
        return
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in JSON_TYPES:
        shown = media_type or "（未指定）"
        raise UnsupportedMediaTypeError(f"请求体须为 application/json，而不是 {shown}")


async def require_json_body(request: Request) -> None:
    """`check_json_body` as a dependency (for routers whose every state change takes JSON)."""
    check_json_body(request)
