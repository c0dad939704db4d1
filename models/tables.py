"""Every table, imported in one place so metadata and migrations see them all."""

from models.audit import AuditEntry
from models.conversations import Conversation, Finding, Utterance
from models.credentials import LoginSession
from models.people import Agent, Team, User
from models.reinspection import ReinspectionItem, ReinspectionRun
from models.reviews import Appeal, Review
from models.rule_versions import RulePackVersion, RulePublication
from models.sampling import MissedFinding, ReviewSample
from models.tickets import CoachingPlan, ManualMetric, Scorecard, Ticket

__all__ = ["Agent", "Appeal", "AuditEntry", "CoachingPlan", "Conversation", "Finding",
           "LoginSession", "ManualMetric", "MissedFinding", "ReinspectionItem", "ReinspectionRun", "Review",
           "ReviewSample", "RulePackVersion", "RulePublication", "Scorecard", "Team", "Ticket", "User",
           "Utterance"]
