"""Imported tickets and stored coaching results (scorecards, plans) per agent per period."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.people import empty_dict, utc_now


class Ticket(SQLModel, table=True):
    id: str = Field(primary_key=True, max_length=200)
    agent_id: str = Field(index=True, max_length=100)
    data: dict[str, Any] = Field(default_factory=empty_dict, sa_column=Column(JSON))
    imported_at: datetime = Field(default_factory=utc_now)


class Scorecard(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("agent_id", "period", "template"),)

    id: int | None = Field(default=None, primary_key=True)
    agent_id: str = Field(index=True, max_length=100)
    period: str = Field(max_length=20)
    template: str = Field(max_length=100)
    data: dict[str, Any] = Field(default_factory=empty_dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utc_now)


class CoachingPlan(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("agent_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    agent_id: str = Field(index=True, max_length=100)
    period: str = Field(max_length=20)
    data: dict[str, Any] = Field(default_factory=empty_dict, sa_column=Column(JSON))
    status: str = Field(default="open", max_length=20)
    created_at: datetime = Field(default_factory=utc_now)


class ManualMetric(SQLModel, table=True):
    """A metric our data cannot supply, entered by a supervisor or reviewer (a knowledge test
    score …): one value per agent, period and metric; the comment is stored redacted."""

    __table_args__ = (UniqueConstraint("agent_id", "period", "metric"),)

    id: int | None = Field(default=None, primary_key=True)
    agent_id: str = Field(index=True, max_length=100)
    period: str = Field(index=True, max_length=20)
    metric: str = Field(max_length=100)
    value: float
    comment: str = ""
    entered_by: str = Field(max_length=200)
    entered_at: datetime = Field(default_factory=utc_now)
