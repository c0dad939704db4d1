"""The demo month: three months of one call centre (the current month and the two before it,
so trends, ranks and the three-period bottom-10 % rule show), generated from a seed.

Every agent has 7–9 conversations a month on distinct days (one of them in the month's last
three days, so every page opens on the current month), the recorded calls of
`coaching.demo.calls`, a ticket for each conversation and more tickets every day. Randomness is
drawn from one `Random` per agent and month (seeded with the seed and their names), so the
output is the same on every run and changing one profile leaves the others as they were.

The anchor: the committed `examples/demo/` is the month of `ANCHOR_MONTH` (November 2026,
data from 1 September to 30 November); `zhijian demo generate --month` writes another.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any

from coaching.demo.calls import RECORDED_CALLS, call_plan
from coaching.demo.dialogue import CallPlan, build_conversation
from coaching.demo.lines import QUEUES, Queue
from coaching.demo.manual import manual_rows
from coaching.demo.roster import AGENTS, DemoAgent, team_of
from coaching.demo.tickets import TicketContext, generate_tickets, ticket_id_of
from coaching.manual import ManualRow
from coaching.periods import DEFAULT_TIMEZONE
from coaching.tickets import Ticket

ANCHOR_MONTH = date(2026, 11, 1)
DEFAULT_SEED = 20261130
MONTHS = 3  # two earlier months and the current one
VETO_RULE = "fin.guaranteed_return"
VETO_COMMENT = "复核录音：坐席向客户承诺保本、稳赚不赔，确认违规。"
CARD_QUEUE_MIX = ("card_service", "card_service", "card_service", "mall_chat", "mall_chat")


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on a finding, applied when the demo is loaded."""

    conversation_id: str
    rule_id: str
    decision: str  # confirm | overturn
    comment: str


@dataclass(frozen=True)
class CompletedPlan:
    """A coaching plan done (`zhijian coach --plans`)."""

    agent_id: str
    skill: str
    done_at: date


@dataclass(frozen=True)
class DemoMonth:
    month: date  # the first day of the current month
    seed: int
    transcripts: tuple[dict[str, Any], ...]  # chats and calls without audio, oldest first
    recorded: tuple[tuple[str, dict[str, Any]], ...]  # (file name, conversation) with audio
    tickets: tuple[Ticket, ...]
    decisions: tuple[Decision, ...]
    plans: tuple[CompletedPlan, ...]
    manual: tuple[ManualRow, ...] = ()  # knowledge-test scores (`coaching.demo.manual`)

    def month_starts(self) -> list[date]:
        return month_starts(self.month)

    def last_day(self) -> date:
        """The current month's last day: the demo's "yesterday"."""
        return _days([self.month])[-1]


def month_starts(month: date) -> list[date]:
    """The first days of the demo's months, oldest first."""
    starts = [month.replace(day=1)]
    for _ in range(MONTHS - 1):
        starts.insert(0, (starts[0] - timedelta(days=1)).replace(day=1))
    return starts


def generate_demo_month(month: date = ANCHOR_MONTH, seed: int = DEFAULT_SEED) -> DemoMonth:
    """The whole demo for the month containing `month`, the same for the same arguments."""
    starts = month_starts(month)
    generated = [plan for agent in AGENTS for index, first in enumerate(starts)
                 for plan in _month_plans(agent, index, first, Random(f"{seed}-{agent.id}-{index}"))]
    recorded = {call.name: call_plan(call, starts[-1]) for call in RECORDED_CALLS}
    plans = _with_ticket_ids([*generated, *recorded.values()])
    days = _days(starts)
    month_of_day = {day: index for index, first in enumerate(starts) for day in _days([first])}
    tickets = generate_tickets(TicketContext(days, month_of_day, tuple(plans)),
                               Random(f"{seed}-tickets"))
    conversations = {plan.conversation_id: build_conversation(plan, Random(f"{seed}-{plan.conversation_id}"))
                     for plan in plans}
    recorded_ids = {plan.conversation_id for plan in recorded.values()}
    return DemoMonth(
        month=starts[-1], seed=seed,
        transcripts=tuple(conversations[p.conversation_id] for p in
                          sorted(plans, key=lambda p: (p.started_at, p.agent.id))
                          if p.conversation_id not in recorded_ids),
        recorded=tuple((name, conversations[plan.conversation_id])
                       for name, plan in recorded.items()),
        tickets=tuple(tickets),
        decisions=tuple(Decision(p.conversation_id, VETO_RULE, "confirm", VETO_COMMENT)
                        for p in generated if p.veto),
        plans=tuple(CompletedPlan(agent.id, skill, starts[1] + timedelta(days=8))
                    for agent in AGENTS if agent.profile.key == "improver"
                    for skill in ("emotion_handling", "compliance_script")),
        manual=manual_rows(starts, seed))


def _month_plans(agent: DemoAgent, index: int, first: date, rng: Random) -> list[CallPlan]:
    """The agent's conversations of one month, one a day on 7–9 distinct days."""
    days = _days([first])
    profile = agent.profile
    fixed = {first.replace(day=day) for month, day in profile.vetoes if month == index}
    if index == MONTHS - 1:
        fixed |= set(days[-profile.csat_slide_days:]) if profile.csat_slide_days else {
            rng.choice(days[-3:])}
    others = sorted(set(days) - fixed)
    chosen = sorted(fixed | set(rng.sample(others, rng.randint(7, 9) - len(fixed))))
    return [_plan(agent, index, day, day in fixed and (index, day.day) in profile.vetoes,
                  rng) for day in chosen]


def _plan(agent: DemoAgent, index: int, day: date, veto: bool, rng: Random) -> CallPlan:
    """One conversation: the team's queue (the card team mixes calls and mall chats), a start
    in working hours, the profile's slips; the sliding agent's last days bring complaints. A
    veto replaces the risk statement of a wealth sales call with a promise of returns."""
    team = team_of(agent.team_id)
    queue = QUEUES[rng.choice(CARD_QUEUE_MIX) if len(team.queues) > 1 else team.queues[0]]
    minutes = rng.randint(9 * 60, 19 * 60 + 30)
    started = datetime.combine(day, time(minutes // 60, minutes % 60), DEFAULT_TIMEZONE)
    faults = _faults(agent, queue, index, rng)
    slide = agent.profile.csat_slide_days
    if index == MONTHS - 1 and slide and day in _days([day.replace(day=1)])[-slide:]:
        faults = frozenset({"complaint"}) | (frozenset({"no_empathy"}) if day.day % 2 else
                                             frozenset())
    return CallPlan(f"c-{day:%Y%m%d}-{agent.id}", agent, queue, rng.choice(queue.scenarios),
                    started, faults, veto, good_hold=rng.random() < 0.3)


def _faults(agent: DemoAgent, queue: Queue, index: int, rng: Random) -> frozenset[str]:
    """One slip (sometimes two) with the profile's probability for the month."""
    profile = agent.profile
    possible = [fault for fault in profile.faults if fault in queue.faults]
    if not possible or rng.random() >= profile.fault_rate[index]:
        return frozenset()
    picked = {rng.choice(possible)}
    if rng.random() < 0.3:
        picked.add(rng.choice(possible))
    return frozenset(picked)


def _with_ticket_ids(plans: list[CallPlan]) -> list[CallPlan]:
    """Each conversation's ticket: the agent's first tickets of the day, in time order."""
    by_day: dict[tuple[str, date], list[CallPlan]] = defaultdict(list)
    for plan in plans:
        by_day[plan.agent.id, plan.started_at.date()].append(plan)
    numbered = {}
    for (agent_id, day), same_day in by_day.items():
        for number, plan in enumerate(sorted(same_day, key=lambda p: p.started_at), start=1):
            numbered[plan.conversation_id] = replace(plan, ticket_id=ticket_id_of(agent_id, day,
                                                                                   number))
    return [numbered[plan.conversation_id] for plan in plans]


def _days(starts: list[date]) -> tuple[date, ...]:
    """Every day from the first start to the end of the last start's month."""
    last = starts[-1]
    end = (last.replace(day=28) + timedelta(days=4)).replace(day=1)
    return tuple(starts[0] + timedelta(days=i) for i in range((end - starts[0]).days))
