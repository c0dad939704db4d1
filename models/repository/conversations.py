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
from models.queries import ensure_agent

AgentKey = tuple[str, str | None]  # (agent id, team id)


def existing_or_conflict(session: Session, *, conversation_id: str, body_hash: str
                         ) -> Conversation | None:
    """The stored row for a repeated submission (None for a new id); `ConflictError` when the
    id was used for other content (the id is the idempotency key)."""
    row = session.get(Conversation, conversation_id)
    if row is not None and row.body_hash != body_hash:
        raise ConflictError(f"会话 id {conversation_id} 已存在且内容不同（id 是幂等键）")
    return row


def add_conversation(session: Session, *, conversation_id: str, body_hash: str,
                     data: dict[str, Any], known_agents: set[AgentKey] | None = None
                     ) -> Conversation:
    """A new `received` row from canonical conversation JSON (`data`: its header fields; the
    utterances are stored by the job). The agent and their team (`metadata.team`) are created
    when new; `known_agents` are (agent, team) pairs already committed, which need no lookup."""
    metadata = dict(data.get("metadata") or {})
    agent_id = data.get("agent_id") or metadata.get("agent_id")
    team_id = metadata.get("team")
    key = (str(agent_id), str(team_id) if team_id else None)
    if agent_id and key not in (known_agents or set()):
        ensure_agent(session, agent_id=key[0], team_id=key[1])
    row = Conversation(
        id=conversation_id, body_hash=body_hash, channel=data.get("channel", "chat"),
        direction=data.get("direction", "inbound"), industry=data.get("industry"),
        agent_id=str(agent_id) if agent_id else None, team_id=str(team_id) if team_id else None,
        started_at=_parse_time(data.get("started_at")), meta=metadata,
    )
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
