"""The audit log: every score change, review, appeal decision and rule-pack change.

Entries are hash-chained: each stores the hash of the previous one, so editing or deleting
any entry breaks every hash after it (`zhijian audit verify`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.people import utc_now

GENESIS_HASH = "0" * 64


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=50, index=True)
    entity: str = Field(max_length=50)
    entity_id: str = Field(max_length=200, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(max_length=64, unique=True)
    hash: str = Field(max_length=64, unique=True)


def entry_digest(entry: AuditEntry) -> str:
    """The hash of an entry's content and its predecessor's hash."""
    payload = json.dumps(
        {
            "at": entry.at.replace(tzinfo=None).isoformat(timespec="microseconds"),
            "actor": entry.actor,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "before": entry.before,
            "after": entry.after,
            "prev_hash": entry.prev_hash,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
