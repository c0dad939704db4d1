"""Who is calling (`Principal`) and what they may see: agents their own conversations,
supervisors their team's, everyone else all. Which actions a role may take is in the role
groups of `models.enums`; the HTTP layer enforces those (`api.http.auth.require_role`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from models import Conversation, User
from models.enums import UserRole
from models.errors import NotFoundError
from models.page_queries import list_agents
from models.queries import ConversationFilter


@dataclass(frozen=True)
class Principal:
    user_id: int
    name: str
    role: UserRole
    agent_id: str | None
    team_id: str | None

    @classmethod
    def of(cls, user: User) -> Principal:
        assert user.id is not None
        return cls(user.id, user.name, UserRole(user.role), user.agent_id, user.team_id)

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"{self.role}:{self.name}#{self.user_id}"

    def visibility(self) -> ConversationFilter:
        """The conversations this principal may see, as a filter."""
        if self.role == UserRole.AGENT:
            return ConversationFilter(visible_agent_ids=[self.agent_id or ""])
        if self.role == UserRole.SUPERVISOR:
            return ConversationFilter(visible_team_id=self.team_id or "")
        return ConversationFilter()

    def can_see(self, conversation: Conversation) -> bool:
        if self.role == UserRole.AGENT:
            return conversation.agent_id == self.agent_id
        if self.role == UserRole.SUPERVISOR:
            return conversation.team_id == self.team_id
        return True

    def check_can_see(self, conversation: Conversation | None, conversation_id: str) -> Conversation:
        """`NotFoundError` for what does not exist and for what the caller may not see (no
        existence leak)."""
        if conversation is None or not self.can_see(conversation):
            raise NotFoundError(f"会话 {conversation_id} 不存在")
        return conversation

    def can_see_agent(self, agent_id: str, agent_team_id: str | None) -> bool:
        if self.role == UserRole.AGENT:
            return agent_id == self.agent_id
        if self.role == UserRole.SUPERVISOR:
            return agent_team_id == self.team_id
        return True

    def visible_agent_ids(self, session: Session) -> set[str] | None:
        """The agents whose scorecards and plans this principal may see (None: all)."""
        if self.role == UserRole.AGENT:
            return {self.agent_id or ""}
        if self.role == UserRole.SUPERVISOR:
            return {agent.id for agent in list_agents(session, team_id=self.team_id)}
        return None
