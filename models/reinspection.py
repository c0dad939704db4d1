"""Re-inspection runs: a period's stored conversations inspected again with a published rule
version, one idempotent item per conversation.

An item is `pending` until its conversation has been re-inspected and stored in the same
transaction that marks it `done`; a worker killed half-way leaves it `pending` with nothing
written, and the run is resumed after a restart. Progress is counted from the items.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.people import utc_now

ITEM_PENDING, ITEM_DONE, ITEM_FAILED = "pending", "done", "failed"


class ReinspectionRun(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(foreign_key="rulepackversion.version")
    since: datetime
    until: datetime
    requested_by: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utc_now)
    total: int = 0


class ReinspectionItem(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("run_id", "conversation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="reinspectionrun.id", index=True)
    conversation_id: str = Field(foreign_key="conversation.id", max_length=200)
    state: str = Field(default=ITEM_PENDING, max_length=20, index=True)
    attempts: int = 0
    error: str | None = None
    updated_at: datetime = Field(default_factory=utc_now)
