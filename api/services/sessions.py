"""Server-side page sessions: what the login form starts and the session cookie names.

The cookie holds a random 256-bit session id; the database keeps only its SHA-256
(`models.credentials.LoginSession`), so a copy of the database opens no session. A session
ends at logout, after `idle` without a request, `absolute` after login, and when its user is
revoked or their token rotated or expired; every request reads it (no cache), so each of these
holds from the next request on. Reading a session moves its idle clock at most once a minute,
so a burst of requests makes one write, not one each.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from api.services.access import Principal
from api.services.users import CredentialsRejectedError, ensure_usable, hash_token
from api.settings import Settings
from models.credentials import (
    LoginSession,
    delete_login_session,
    delete_stale_sessions,
    session_and_user,
)
from models.people import utc_now

TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    absolute: timedelta

    @classmethod
    def of(cls, settings: Settings) -> SessionLimits:
        return cls(idle=timedelta(minutes=settings.session_idle_minutes),
                   absolute=timedelta(hours=settings.session_absolute_hours))

    def expired(self, row: LoginSession, now: datetime) -> bool:
        return row.last_seen_at + self.idle <= now or row.created_at + self.absolute <= now


def start_session(session: Session, *, user_id: int, limits: SessionLimits) -> str:
    """A new session for the user; returns its id (for the cookie: it is stored only hashed).
    Sessions past their limits are cleared on the way."""
    now = utc_now()
    delete_stale_sessions(session, seen_before=now - limits.idle,
                          created_before=now - limits.absolute)
    session_id = secrets.token_urlsafe(32)
    session.add(LoginSession(id_hash=hash_token(session_id), user_id=user_id, created_at=now,
                             last_seen_at=now))
    session.flush()
    return session_id


def principal_for_session(session: Session, *, session_id: str, limits: SessionLimits
                          ) -> Principal:
    """The caller of a live session; `CredentialsRejectedError` for an unknown, ended or
    expired session, or a user no longer allowed in."""
    found = session_and_user(session, id_hash=hash_token(session_id))
    now = utc_now()
    if found is None or limits.expired(found[0], now):
        raise CredentialsRejectedError("会话已过期或已退出：请重新登录")
    row, user = found
    ensure_usable(user, now)
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return Principal.of(user)


def end_session(session: Session, *, session_id: str) -> None:
    """Logout: the session id stops working at once (a copied cookie included)."""
    delete_login_session(session, id_hash=hash_token(session_id))
