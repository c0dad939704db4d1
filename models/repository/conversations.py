"""Conversation rows: created from canonical conversation JSON (idempotent by id), and read
back as the core's `Conversation`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

from inspection import types as core
from inspection.loaders import conversation_from_dict
from models.conversations import Conversation, Utterance
from models.errors import ConflictError
from models.queries import agent_seen, team_of_agent


def existing_or_conflict(session: Session, *, conversation_id: str, body_hash: str
                         ) -> Conversation | None:
    """The stored row for a repeated submission (None for a new id); `ConflictError` when the
    id was used for other content (the id is the idempotency key). The message names the id
    only: it tells nothing about what is stored."""
    row = session.get(Conversation, conversation_id)
    if row is not None and row.body_hash != body_hash:
        raise ConflictError(f"会话 id {conversation_id} 已存在且内容不同（id 是幂等键）")
    return row


def add_conversation(session: Session, *, conversation_id: str, body_hash: str,
                     data: dict[str, Any], agent_id: str | None,
                     known_agents: set[str] | None = None) -> Conversation:
    """A new `received` row from canonical conversation JSON (`data`: its header fields, already
    redacted; the utterances are stored by the job).

    The conversation's team is its agent's team, read from the agent record when the row is
    inserted. An agent seen for the first time is created in the team `metadata.team` names;
    after that `metadata.team` changes nothing (only an admin moves an agent between teams:
    `assign_agent_team`). `known_agents` are agents already committed, which need no lookup.
    """
    metadata = dict(data.get("metadata") or {})
    if agent_id and agent_id not in (known_agents or set()):
        team = metadata.get("team")
        agent_seen(session, agent_id=agent_id, team_id=str(team) if team else None)
    row = Conversation(
        id=conversation_id, body_hash=body_hash, channel=data.get("channel", "chat"),
        direction=data.get("direction", "inbound"), industry=data.get("industry"),
        agent_id=agent_id or None, started_at=_parse_time(data.get("started_at")), meta=metadata,
    )
    if agent_id:  # evaluated by the INSERT itself: no round trip, never a stale team
        row.team_id = team_of_agent(agent_id)
    session.add(row)
    return row


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def core_conversation(row: Conversation, utterances: Sequence[Utterance]) -> core.Conversation:
    """A stored conversation (its redacted turns) as the core reads it."""
    turns = [{"role": u.role, "start": u.start, "end": u.end, "text": u.text,
              "confidence": u.confidence} for u in utterances]
    data = {"id": row.id, "channel": row.channel, "direction": row.direction,
            "industry": row.industry, "agent_id": row.agent_id, "started_at": row.started_at,
            "metadata": row.meta, "roles_inferred": row.roles_inferred,
            "utterances": turns or [{"role": "agent", "text": ""}]}
    return conversation_from_dict(data, source=f"conversation {row.id}")
