"""Bearer tokens (stored as SHA-256 hashes) and what each role may see."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field

from sqlmodel import Session

from inspection.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from models import Conversation, User
from models.people import USER_ROLES
from models.queries import ConversationFilter, ensure_agent, ensure_team

REVIEWER_ROLES = frozenset({"admin", "qa_reviewer"})


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(session: Session, *, name: str, role: str, agent_id: str | None = None,
                team_id: str | None = None) -> tuple[User, str]:
    """A new user and their token (shown once; only its hash is stored)."""
    if role not in USER_ROLES:
        raise InvalidInputError("user", f"未知角色 {role!r}（应为 {' / '.join(USER_ROLES)}）")
    if role == "agent" and not agent_id:
        raise InvalidInputError("user", "agent 角色必须指定 --agent-id")
    if role == "supervisor" and not team_id:
        raise InvalidInputError("user", "supervisor 角色必须指定 --team-id")
    if agent_id:
        ensure_agent(session, agent_id=agent_id, team_id=team_id)
    elif team_id:
        ensure_team(session, team_id=team_id)
    token = f"zj_{secrets.token_urlsafe(32)}"
    user = User(name=name, role=role, agent_id=agent_id, team_id=team_id,
                token_hash=hash_token(token))
    session.add(user)
    session.flush()
    return user, token


@dataclass(frozen=True)
class Principal:
    user_id: int
    name: str
    role: str
    agent_id: str | None
    team_id: str | None

    @classmethod
    def of(cls, user: User) -> Principal:
        assert user.id is not None
        return cls(user.id, user.name, user.role, user.agent_id, user.team_id)

    @property
    def actor(self) -> str:
        return f"{self.role}:{self.name}#{self.user_id}"

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise PermissionDeniedError(f"角色 {self.role} 无权执行此操作（需要 {' / '.join(roles)}）")

    def visibility(self) -> ConversationFilter:
        """The conversations this principal may see, as a filter."""
        if self.role == "agent":
            return ConversationFilter(visible_agent_ids=[self.agent_id or ""])
        if self.role == "supervisor":
            return ConversationFilter(visible_team_id=self.team_id or "")
        return ConversationFilter()

    def can_see(self, conversation: Conversation) -> bool:
        if self.role == "agent":
            return conversation.agent_id == self.agent_id
        if self.role == "supervisor":
            return conversation.team_id == self.team_id
        return True

    def check_can_see(self, conversation: Conversation | None, conversation_id: str) -> Conversation:
        """404 for what does not exist and for what the caller may not see (no existence leak)."""
        if conversation is None or not self.can_see(conversation):
            raise NotFoundError(f"会话 {conversation_id} 不存在")
        return conversation

    def can_see_agent(self, agent_id: str, agent_team_id: str | None) -> bool:
        if self.role == "agent":
            return agent_id == self.agent_id
        if self.role == "supervisor":
            return agent_team_id == self.team_id
        return True


@dataclass
class PrincipalCache:
    """Recently authenticated tokens, so a request needs no database query to know its caller.

    A user's role or scope change reaches cached tokens within `ttl_seconds`."""

    ttl_seconds: float = 60.0
    max_entries: int = 10_000
    _entries: dict[str, tuple[float, Principal]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, token_hash: str) -> Principal | None:
        with self._lock:
            entry = self._entries.get(token_hash)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, token_hash: str, principal: Principal) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[token_hash] = (time.monotonic() + self.ttl_seconds, principal)
