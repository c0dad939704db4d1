"""`Annotated` dependencies: the runtime, the job queue, a session, the authenticated caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.http.auth import PrincipalCache
from api.http.errors import UnauthenticatedError
from api.jobs.runner import JobQueue
from api.runtime import Runtime
from api.services.access import Principal
from api.services.users import hash_token, principal_for

SESSION_COOKIE = "zhijian_token"
bearer = HTTPBearer(auto_error=False, description="zhijian users create 打印的令牌")


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
    """The caller (bearer token, else the pages' session cookie): from the token cache (no
    I/O), else looked up in the thread pool."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        raise UnauthenticatedError("缺少身份令牌：请使用 Authorization: Bearer <token>")
    token_hash = hash_token(token)
    cache: PrincipalCache = request.app.state.principals
    principal = cache.get(token_hash)
    if principal is None:
        principal = await run_in_threadpool(_load_principal, runtime, token_hash)
        cache.put(token_hash, principal)
    return principal


def _load_principal(runtime: Runtime, token_hash: str) -> Principal:
    with runtime.session() as session:
        principal = principal_for(session, token_hash=token_hash)
    if principal is None:
        raise UnauthenticatedError("身份令牌无效")
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]
