"""Login sessions (what the pages' cookie points at) and the queries on users' credentials.

A session row is keyed by the SHA-256 of the random id in the cookie, never the id itself, and
points at its user: revoking the user, or logging out, ends it. Its age limits (idle and
absolute) are the service's settings, applied when it is read (`api.services.sessions`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import delete, or_
from sqlmodel import Field, Session, SQLModel, col, select

from models.people import User, utc_now


class LoginSession(SQLModel, table=True):
    id_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utc_now)
    last_seen_at: datetime = Field(default_factory=utc_now)


def session_and_user(session: Session, *, id_hash: str) -> tuple[LoginSession, User] | None:
    """The login session with this id hash and its user, in one query."""
    row = session.exec(select(LoginSession, User).join(User, col(User.id) == LoginSession.user_id)
                       .where(LoginSession.id_hash == id_hash)).first()
    return None if row is None else (row[0], row[1])


def delete_login_session(session: Session, *, id_hash: str) -> None:
    session.execute(delete(LoginSession).where(col(LoginSession.id_hash) == id_hash))


def delete_user_sessions(session: Session, *, user_id: int) -> None:
    session.execute(delete(LoginSession).where(col(LoginSession.user_id) == user_id))


def delete_stale_sessions(session: Session, *, seen_before: datetime,
                          created_before: datetime) -> None:
    """Sessions idle since `seen_before` or older than `created_before`: unusable anyway."""
    session.execute(delete(LoginSession).where(or_(col(LoginSession.last_seen_at) < seen_before,
                                                   col(LoginSession.created_at) < created_before)))


def session_counts(session: Session, *, seen_since: datetime,
                   created_since: datetime) -> Counter[int]:
    """Live login sessions per user id."""
    rows = session.exec(select(LoginSession.user_id).where(
        LoginSession.last_seen_at >= seen_since, LoginSession.created_at >= created_since))
    return Counter(rows)


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(col(User.id))))


def users_named(session: Session, *, name: str) -> list[User]:
    return list(session.exec(select(User).where(User.name == name).order_by(col(User.id))))
