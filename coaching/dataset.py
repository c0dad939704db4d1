"""The inputs of coaching (inspected conversations, tickets, sentiment, manual values) and
their split into per-agent slices for a time interval."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from functools import cached_property

from coaching.manual import ManualImport
from coaching.metrics import (
    AgentPeriodData,
    Inspected,
    MetricContext,
    MetricOptions,
    RecontactIndex,
    recontact_index,
)
from coaching.periods import DEFAULT_TIMEZONE, Period, localize
from coaching.tickets import Ticket

logger = logging.getLogger("zhijian.coaching")


@dataclass(frozen=True)
class CoachingInputs:
    """Everything the scorecards and coaching plans are computed from.

    `de_escalated` maps conversation id → whether an upset customer calmed down (None: not
    applicable / unknown); leave it None when no sentiment stage ran.
    """

    inspected: tuple[Inspected, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    de_escalated: Mapping[str, bool | None] | None = None
    manual: ManualImport = field(default_factory=lambda: ManualImport({}, ()))
    options: MetricOptions = field(default_factory=MetricOptions)
    tz: tzinfo = DEFAULT_TIMEZONE

    @cached_property
    def recontacts(self) -> RecontactIndex:
        """FCR's re-contact index over all tickets, built once."""
        return recontact_index(self.tickets)

    def context(self, agent_id: str, period_label: str) -> MetricContext:
        """The shared metric context with this agent's manual values for the period."""
        return MetricContext(
            all_tickets=self.tickets,
            recontacts=self.recontacts,
            de_escalated=self.de_escalated,
            manual=self.manual.for_agent(agent_id, period_label),
            options=self.options,
        )


def conversation_agent(item: Inspected) -> str | None:
    """The agent of an inspected conversation: the result's agent id, else the conversation's."""
    conversation, result = item
    return result.agent_id or conversation.agent_id


def slice_interval(inputs: CoachingInputs, start: datetime, end: datetime) -> dict[str, AgentPeriodData]:
    """Per agent: tickets opened and conversations started in [start, end).

    Conversations without `started_at` or without an agent cannot be placed and are skipped
    (logged once per call).
    """
    tickets: dict[str, list[Ticket]] = {}
    for ticket in inputs.tickets:
        if start <= ticket.opened_at < end:
            tickets.setdefault(ticket.agent_id, []).append(ticket)
    inspected: dict[str, list[Inspected]] = {}
    unplaced = 0
    for item in inputs.inspected:
        agent, started = conversation_agent(item), item[0].started_at
        if agent is None or started is None:
            unplaced += 1
            continue
        if start <= localize(started, inputs.tz) < end:
            inspected.setdefault(agent, []).append(item)
    if unplaced:
        logger.info("%d conversation(s) without agent_id or started_at were skipped", unplaced)
    agents = sorted(set(tickets) | set(inspected))
    return {
        agent: AgentPeriodData(agent, tuple(tickets.get(agent, ())), tuple(inspected.get(agent, ())))
        for agent in agents
    }


def slice_period(inputs: CoachingInputs, period: Period) -> dict[str, AgentPeriodData]:
    """Per agent data of one period."""
    return slice_interval(inputs, period.start, period.end)


def team_data(per_agent: Mapping[str, AgentPeriodData], team_id: str = "team") -> AgentPeriodData:
    """All agents' data merged, for team roll-ups."""
    tickets: list[Ticket] = []
    inspected: list[Inspected] = []
    for data in per_agent.values():
        tickets.extend(data.tickets)
        inspected.extend(data.inspected)
    return AgentPeriodData(team_id, tuple(tickets), tuple(inspected))


def unplaced_conversations(inspected: Sequence[Inspected]) -> list[str]:
    """Ids of conversations that cannot be attributed (no agent or no start time)."""
    return [c.id for c, r in inspected if (r.agent_id or c.agent_id) is None or c.started_at is None]
