"""Every table, imported in one place so metadata and migrations see them all."""

from models.audit import AuditEntry
from models.conversations import Conversation, Finding, Utterance
from models.people import Agent, Team, User
from models.reviews import Appeal, Review
from models.tickets import CoachingPlan, Scorecard, Ticket

__all__ = ["Agent", "Appeal", "AuditEntry", "CoachingPlan", "Conversation", "Finding", "Review",
           "Scorecard", "Team", "Ticket", "User", "Utterance"]
