"""`Annotated` dependencies: the session, the services, the authenticated caller."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.auth import Principal, hash_token
from api.errors import UnauthenticatedError
from api.jobs import JobQueue
from api.services import Services
from models import session_scope
from models.queries import get_user_by_token_hash

SESSION_COOKIE = "zhijian_token"
bearer = HTTPBearer(auto_error=False, description="zhijian users create 打印的令牌")


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the
# thread pool, a thread hand-off per dependency per request.
async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def get_jobs(request: Request) -> JobQueue:
    jobs: JobQueue = request.app.state.jobs
    return jobs


ServicesDep = Annotated[Services, Depends(get_services)]
JobsDep = Annotated[JobQueue, Depends(get_jobs)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    with session_scope(services.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


async def get_principal(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The caller: from the token cache (no I/O), else looked up in the thread pool."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        raise UnauthenticatedError("缺少身份令牌：请使用 Authorization: Bearer <token>")
    token_hash = hash_token(token)
    principal = services.principals.get(token_hash)
    if principal is None:
        principal = await run_in_threadpool(_load_principal, services, token_hash)
        services.principals.put(token_hash, principal)
    return principal


def _load_principal(services: Services, token_hash: str) -> Principal:
    with session_scope(services.engine) as session:
        user = get_user_by_token_hash(session, token_hash=token_hash)
        if user is None:
            raise UnauthenticatedError("身份令牌无效")
        return Principal.of(user)


PrincipalDep = Annotated[Principal, Depends(get_principal)]
