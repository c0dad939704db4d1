"""The one home of the service's vocabularies: user roles (and who may do what), conversation
statuses, review and appeal states.

The tables store these as plain strings (`StrEnum` members compare and hash equal to their
values), so the database schema does not change and rows read back compare equal to members.
"""

from __future__ import annotations

from enum import StrEnum


class UserRole(StrEnum):
    ADMIN = "admin"
    QA_REVIEWER = "qa_reviewer"
    SUPERVISOR = "supervisor"
    AGENT = "agent"


# Who may do what. Agents see only their own conversations and supervisors their team's
# (`api.services.access.Principal.visibility`); these groups say which actions a role may take.
REVIEWERS: frozenset[UserRole] = frozenset({UserRole.ADMIN, UserRole.QA_REVIEWER})
"""Confirm or overturn findings, decide appeals, validate rule packs."""

WRITERS: frozenset[UserRole] = REVIEWERS
"""Submit conversations (the API and the upload page)."""

QUEUE_VIEWERS: frozenset[UserRole] = REVIEWERS | {UserRole.SUPERVISOR}
"""The review queue, rule statistics and the rules page, ticket import, alerts, the team page."""

APPELLANTS: frozenset[UserRole] = frozenset({UserRole.AGENT})
"""Appeal a finding on one's own conversation (once)."""


class ConversationStatus(StrEnum):
    """`received` → (`transcribing`, recordings only) → `done`, or `failed` once the job has
    used up its attempts (the error is kept)."""

    RECEIVED = "received"
    TRANSCRIBING = "transcribing"
    DONE = "done"
    FAILED = "failed"


UNFINISHED: frozenset[ConversationStatus] = frozenset(
    {ConversationStatus.RECEIVED, ConversationStatus.TRANSCRIBING})
"""A job is still to run (or running): re-queued after a restart."""

FINISHED: frozenset[ConversationStatus] = frozenset(
    {ConversationStatus.DONE, ConversationStatus.FAILED})


class ReviewState(StrEnum):
    """A finding's review: every finding starts `pending`."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    OVERTURNED = "overturned"


class AppealState(StrEnum):
    """A finding's appeal (`none` until the agent appeals), and an appeal's own state."""

    NONE = "none"
    OPEN = "open"
    UPHELD = "upheld"
    OVERTURNED = "overturned"


def ordered(roles: frozenset[UserRole]) -> list[UserRole]:
    """A role group in the enum's order, for messages that list it."""
    return [role for role in UserRole if role in roles]


__all__ = ["APPELLANTS", "FINISHED", "QUEUE_VIEWERS", "REVIEWERS", "UNFINISHED", "WRITERS",
           "AppealState", "ConversationStatus", "ReviewState", "UserRole", "ordered"]
