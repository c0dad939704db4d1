"""Persistence: SQLModel tables, keyword-only queries (`models.queries`, `models.page_queries`),
the repository layer between rows and the core's types (`models.repository`), the store's
errors (`models.errors`) and the one home of roles and statuses (`models.enums`).

`models` may import the core (`inspection`, `coaching`), never `api`.
"""

from models.db import make_engine, migrate, session_scope
from models.tables import (
    Agent,
    Appeal,
    AuditEntry,
    CoachingPlan,
    Conversation,
    Finding,
    LoginSession,
    Review,
    Scorecard,
    Team,
    Ticket,
    User,
    Utterance,
)

__all__ = ["Agent", "Appeal", "AuditEntry", "CoachingPlan", "Conversation", "Finding",
           "LoginSession", "Review", "Scorecard", "Team", "Ticket", "User", "Utterance",
           "make_engine", "migrate", "session_scope"]
