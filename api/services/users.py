"""Users and their bearer tokens.

A token is shown once and stored only as its SHA-256 hash: it is 256 random bits, so an
unsalted hash leaves nothing to guess. A token may expire (`expires_days`); a revoked user's
token and page sessions stop working on the very next request, because every request reads
the user (no cache). Rotation issues a new token (the old one stops), and re-enables a revoked
user. `zhijian users create | list | revoke | rotate` is the command line over these.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from api.services.access import Principal
from inspection.errors import InvalidInputError, ZhijianError
from models import User
from models.credentials import delete_user_sessions, list_users, session_counts, users_named
from models.enums import UserRole
from models.errors import NotFoundError
from models.people import utc_now
from models.queries import ensure_agent, ensure_team, get_user_by_token_hash

TOKEN_PREFIX = "zj_"
MAX_EXPIRY_DAYS = 3650


class CredentialsRejectedError(ZhijianError):
    """A token or session that is unknown, expired or revoked (the HTTP layer answers 401)."""


def hash_token(secret: str) -> str:
    """The stored form of a token or session id: its SHA-256, hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return f"{TOKEN_PREFIX}{secrets.token_urlsafe(32)}"


def _expiry(days: int | None, now: datetime) -> datetime | None:
    if days is None:
        return None
    if not 1 <= days <= MAX_EXPIRY_DAYS:
        raise InvalidInputError("user", f"--expires-days 应在 1–{MAX_EXPIRY_DAYS} 之间，而不是 {days}")
    return now + timedelta(days=days)


def create_user(session: Session, *, name: str, role: str, agent_id: str | None = None,
                team_id: str | None = None, expires_days: int | None = None) -> tuple[User, str]:
    """A new user and their token (shown once; only its hash is stored), valid for
    `expires_days` days (None: until revoked). An agent needs their agent id, a supervisor
    their team; both are created when new."""
    if role not in set(UserRole):
        raise InvalidInputError("user", f"未知角色 {role!r}（应为 {' / '.join(UserRole)}）")
    if role == UserRole.AGENT and not agent_id:
        raise InvalidInputError("user", "agent 角色必须指定 --agent-id")
    if role == UserRole.SUPERVISOR and not team_id:
        raise InvalidInputError("user", "supervisor 角色必须指定 --team-id")
    expires_at = _expiry(expires_days, utc_now())
    if agent_id:
        ensure_agent(session, agent_id=agent_id, team_id=team_id)
    elif team_id:
        ensure_team(session, team_id=team_id)
    token = _new_token()
    user = User(name=name, role=UserRole(role), agent_id=agent_id, team_id=team_id,
                token_hash=hash_token(token), token_expires_at=expires_at)
    session.add(user)
    session.flush()
    return user, token


def ensure_usable(user: User, now: datetime) -> None:
    """`CredentialsRejectedError` for a revoked user or an expired token."""
    if user.revoked_at is not None:
        raise CredentialsRejectedError("该用户的令牌已被吊销：请联系管理员")
    if user.token_expires_at is not None and user.token_expires_at <= now:
        raise CredentialsRejectedError("令牌已过期：请联系管理员轮换令牌（zhijian users rotate）")


def principal_for_token(session: Session, *, token_hash: str) -> Principal:
    """The caller whose bearer token has this hash; `CredentialsRejectedError` for a token
    that matches nobody, has expired or was revoked."""
    user = get_user_by_token_hash(session, token_hash=token_hash)
    if user is None:
        raise CredentialsRejectedError("身份令牌无效")
    ensure_usable(user, utc_now())
    return Principal.of(user)


def find_user(session: Session, *, name_or_id: str) -> User:
    """The user with this id (digits) or this name; `NotFoundError` when none, and
    `InvalidInputError` when several share the name (give the id instead)."""
    wanted = name_or_id.strip().removeprefix("#")
    if wanted.isdigit() and (user := session.get(User, int(wanted))) is not None:
        return user
    named = users_named(session, name=name_or_id.strip())
    if not named:
        raise NotFoundError(f"没有用户 {name_or_id!r}（zhijian users list 列出全部用户）")
    if len(named) > 1:
        ids = "、".join(f"#{user.id}" for user in named)
        raise InvalidInputError("user", f"有 {len(named)} 个用户名为 {name_or_id!r}（{ids}）：请改用编号")
    return named[0]


def revoke_user(session: Session, *, user_id: int) -> User:
    """Stop the user's token and end all their page sessions, from the next request on."""
    user = _get(session, user_id)
    user.revoked_at = user.revoked_at or utc_now()
    session.add(user)
    delete_user_sessions(session, user_id=user_id)
    session.flush()
    return user


def rotate_token(session: Session, *, user_id: int, expires_days: int | None = None
                 ) -> tuple[User, str]:
    """A new token for the user (the old one stops, their page sessions end), valid for
    `expires_days` days; a revoked user is enabled again."""
    user = _get(session, user_id)
    token = _new_token()
    user.token_hash = hash_token(token)
    user.token_expires_at = _expiry(expires_days, utc_now())
    user.revoked_at = None
    session.add(user)
    delete_user_sessions(session, user_id=user_id)
    session.flush()
    return user, token


@dataclass(frozen=True)
class UserListing:
    """A user as `zhijian users list` shows them: no token, no hash."""

    id: int
    name: str
    role: str
    agent_id: str | None
    team_id: str | None
    created_at: datetime
    token_expires_at: datetime | None
    state: str  # 有效 / 已过期 / 已吊销
    sessions: int  # live page sessions


def user_listings(session: Session, *, idle: timedelta, absolute: timedelta) -> list[UserListing]:
    """Every user, with the number of their page sessions still within `idle` and `absolute`."""
    now = utc_now()
    live = session_counts(session, seen_since=now - idle, created_since=now - absolute)
    listings = []
    for user in list_users(session):
        assert user.id is not None
        try:
            ensure_usable(user, now)
            state = "有效"
        except CredentialsRejectedError:
            state = "已吊销" if user.revoked_at is not None else "已过期"
        listings.append(UserListing(user.id, user.name, user.role, user.agent_id, user.team_id,
                                    user.created_at, user.token_expires_at, state,
                                    live[user.id]))
    return listings


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"没有编号为 #{user_id} 的用户")
    return user
