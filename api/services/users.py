"""Users and their bearer tokens: a token is shown once and stored only as its SHA-256 hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlmodel import Session

from api.services.access import Principal
from inspection.errors import InvalidInputError
from models import User
from models.enums import UserRole
from models.queries import ensure_agent, ensure_team, get_user_by_token_hash

TOKEN_PREFIX = "zj_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(session: Session, *, name: str, role: str, agent_id: str | None = None,
                team_id: str | None = None) -> tuple[User, str]:
    """A new user and their token (shown once; only its hash is stored). An agent needs their
    agent id, a supervisor their team; both are created when new."""
    if role not in set(UserRole):
        raise InvalidInputError("user", f"未知角色 {role!r}（应为 {' / '.join(UserRole)}）")
    if role == UserRole.AGENT and not agent_id:
        raise InvalidInputError("user", "agent 角色必须指定 --agent-id")
    if role == UserRole.SUPERVISOR and not team_id:
        raise InvalidInputError("user", "supervisor 角色必须指定 --team-id")
    if agent_id:
        ensure_agent(session, agent_id=agent_id, team_id=team_id)
    elif team_id:
        ensure_team(session, team_id=team_id)
    token = f"{TOKEN_PREFIX}{secrets.token_urlsafe(32)}"
    user = User(name=name, role=UserRole(role), agent_id=agent_id, team_id=team_id,
                token_hash=hash_token(token))
    session.add(user)
    session.flush()
    return user, token


def principal_for(session: Session, *, token_hash: str) -> Principal | None:
    """The user whose token has this hash, or None for a token that matches nobody."""
    user = get_user_by_token_hash(session, token_hash=token_hash)
    return None if user is None else Principal.of(user)
