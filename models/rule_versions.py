"""Rule packs versioned in the database, and each time one was published.

A `RulePackVersion` is the full text of every pack file of one rule set (`files`: file name →
YAML), numbered 1, 2, 3 … in the order they were uploaded; version 1 is what the service found
on disk (the bundled packs, or `ZHIJIAN_RULES_DIR`) at its first start. A version is validated
on upload (schema, every rule's examples) and dry-run against stored conversations before it
may be published. Each publication is a `RulePublication` row: the published version is the
one of the newest publication, so a rollback is simply publishing an older version again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.people import empty_dict, utc_now


class RulePackVersion(SQLModel, table=True):
    version: int = Field(primary_key=True)
    files: dict[str, str] = Field(default_factory=empty_dict, sa_column=Column(JSON))
    digest: str = Field(max_length=64, index=True)  # sha256 of the files, sorted by name
    based_on: int | None = None  # the version it was edited from
    comment: str = ""
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utc_now)
    rules: int = 0  # how many rules it holds
    failed_examples: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    dry_run: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    dry_run_at: datetime | None = None

    @property
    def valid(self) -> bool:
        """Loaded, and every rule's must-hit / must-miss examples behave."""
        return not self.failed_examples


class RulePublication(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(foreign_key="rulepackversion.version", index=True)
    previous_version: int | None = None
    published_by: str = Field(max_length=200)
    published_at: datetime = Field(default_factory=utc_now)
    comment: str = ""
    summary: dict[str, Any] = Field(default_factory=empty_dict, sa_column=Column(JSON))
