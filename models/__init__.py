"""Persistence: SQLModel tables and keyword-only queries, nothing else."""

from models.db import make_engine, migrate, session_scope
from models.tables import (
    Agent,
    Appeal,
    AuditEntry,
    CoachingPlan,
    Conversation,
    Finding,
    Review,
    Scorecard,
    Team,
    Ticket,
    User,
    Utterance,
)

__all__ = ["Agent", "Appeal", "AuditEntry", "CoachingPlan", "Conversation", "Finding", "Review",
           "Scorecard", "Team", "Ticket", "User", "Utterance", "make_engine", "migrate",
           "session_scope"]
