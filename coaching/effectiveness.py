"""Team skill × agent heatmap data and coaching-plan effectiveness (before/after violation rate)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from coaching.dataset import conversation_agent
from coaching.metrics import AgentPeriodData, Inspected
from coaching.periods import DEFAULT_TIMEZONE, localize
from coaching.skills import SkillCatalogue


@dataclass(frozen=True)
class HeatCell:
    """How often one agent's conversations had a finding for one skill."""

    agent_id: str
    skill: str
    conversations: int
    with_finding: int
    rate: float | None


@dataclass(frozen=True)
class SkillHeatmap:
    """Rows are skills (catalogue order), columns agents; `cells` is row-major."""

    skills: tuple[str, ...]
    agents: tuple[str, ...]
    cells: tuple[HeatCell, ...]

    def rate(self, agent_id: str, skill: str) -> float | None:
        cell = next(c for c in self.cells if c.agent_id == agent_id and c.skill == skill)
        return cell.rate


def has_skill_finding(item: Inspected, skill: str, catalogue: SkillCatalogue) -> bool:
    """True when the conversation has at least one finding that trains `skill`."""
    return any(catalogue.skill_of(f.rule_id, f.coaching) == skill for f in item[1].findings)


def violation_rate(
    items: Sequence[Inspected], skill: str, catalogue: SkillCatalogue
) -> tuple[int, int, float | None]:
    """(conversations with a `skill` finding, conversations, percentage or None when none)."""
    hits = sum(1 for item in items if has_skill_finding(item, skill, catalogue))
    return hits, len(items), (100.0 * hits / len(items) if items else None)


def skill_heatmap(per_agent: Mapping[str, AgentPeriodData], catalogue: SkillCatalogue) -> SkillHeatmap:
    """The team view: violation rate per skill per agent in the period."""
    skills = tuple(skill.id for skill in catalogue.skills)
    agents = tuple(sorted(per_agent))
    cells = []
    for skill in skills:
        for agent in agents:
            hits, total, rate = violation_rate(per_agent[agent].inspected, skill, catalogue)
            cells.append(HeatCell(agent, skill, total, hits, None if rate is None else round(rate, 2)))
    return SkillHeatmap(skills, agents, tuple(cells))


@dataclass(frozen=True)
class PlanOutcome:
    """Violation rate for the skill before and after the plan was marked done."""

    agent_id: str
    skill: str
    done_at: datetime
    before_conversations: int
    before_rate: float | None
    after_conversations: int
    after_rate: float | None
    change: float | None
    improved: bool | None


def plan_effectiveness(
    inspected: Sequence[Inspected],
    agent_id: str,
    skill: str,
    done_at: datetime,
    catalogue: SkillCatalogue,
    window_days: int | None = None,
    tz: tzinfo = DEFAULT_TIMEZONE,
) -> PlanOutcome:
    """Compare the agent's `skill` violation rate before and after `done_at`.

    With `window_days`, only conversations within that many days on each side count.
    Conversations without a start time are ignored. `change` is after − before (points).
    """
    done = localize(done_at, tz)
    low = done - timedelta(days=window_days) if window_days else None
    high = done + timedelta(days=window_days) if window_days else None
    before: list[Inspected] = []
    after: list[Inspected] = []
    for item in inspected:
        started = item[0].started_at
        if conversation_agent(item) != agent_id or started is None:
            continue
        moment = localize(started, tz)
        if moment < done and (low is None or moment >= low):
            before.append(item)
        elif moment >= done and (high is None or moment < high):
            after.append(item)
    _, n_before, rate_before = violation_rate(before, skill, catalogue)
    _, n_after, rate_after = violation_rate(after, skill, catalogue)
    change = None if rate_before is None or rate_after is None else rate_after - rate_before
    return PlanOutcome(
        agent_id,
        skill,
        done,
        n_before,
        rate_before,
        n_after,
        rate_after,
        None if change is None else round(change, 2),
        None if change is None else change < 0,
    )
