"""The demo's tickets: every agent, every day of the three months, three or four tickets a day
(more when they had more conversations that day: each conversation has its ticket).

The figures come from the agent's profile: first response, handle time, FCR (a ticket is
resolved for good, left unresolved, or resolved and followed by a repeat contact on the same
issue 1–5 days later), CSAT (three in four customers answer; 4–5 with the profile's share),
complaints and escalations. The seed's CSAT alert (`csat_satisfied_rate` < 85 % for 3 days
running) must fire only where the story puts it: for every other agent a third bad day in a row
has its unsatisfied answers raised to 4; the sliding agent's last days are set to slide.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from random import Random

from coaching.demo.dialogue import CallPlan
from coaching.demo.lines import QUEUES
from coaching.demo.roster import AGENTS, DemoAgent, team_of
from coaching.periods import DEFAULT_TIMEZONE
from coaching.tickets import Ticket

SATISFIED_PERCENT = 85.0  # the seed's alert threshold (coaching.alerts.StreakRule)
SLIDE_RATES = (0.67, 0.5, 0.25)  # satisfied share on the sliding agent's last days
ANSWER_RATE = 0.75


@dataclass(frozen=True)
class TicketContext:
    """The days to cover, which month of the demo each day is in, and the conversations."""

    days: tuple[date, ...]
    month_of_day: dict[date, int]
    plans: tuple[CallPlan, ...]


@dataclass
class _Pending:
    """Repeat contacts still to be opened: (agent, day) → (customer, issue, channel)."""

    follow_ups: dict[tuple[str, date], list[tuple[str, str, str]]]


def generate_tickets(context: TicketContext, rng: Random) -> list[Ticket]:
    """All tickets of all agents, day by day, in a stable order."""
    by_day: dict[tuple[str, date], list[CallPlan]] = defaultdict(list)
    for plan in context.plans:
        by_day[plan.agent.id, plan.started_at.date()].append(plan)
    pending = _Pending(defaultdict(list))
    tickets: list[Ticket] = []
    for agent in AGENTS:
        bad_run = 0
        for day in context.days:
            month = context.month_of_day[day]
            today = _day_tickets(agent, day, month, sorted(by_day[agent.id, day],
                                 key=lambda p: p.started_at), pending, context, rng)
            today, bad_run = _shape_csat(agent, day, context, today, bad_run, rng)
            tickets.extend(today)
    return tickets


def _day_tickets(agent: DemoAgent, day: date, month: int, plans: list[CallPlan],
                 pending: _Pending, context: TicketContext, rng: Random) -> list[Ticket]:
    count = max(len(plans), rng.randint(3, 4))
    tickets = []
    follow_ups = pending.follow_ups.pop((agent.id, day), [])
    for number in range(1, count + len(follow_ups) + 1):
        ticket_id = ticket_id_of(agent.id, day, number)
        if number <= len(plans):
            plan = plans[number - 1]
            ticket_id = plan.ticket_id or ticket_id
            opened = plan.started_at
            customer, issue, channel = _customer(rng), plan.scenario.issue_key, plan.queue.channel
            complaint = "complaint" in plan.faults or plan.veto
        else:
            opened = _working_time(day, rng)
            if number > count:
                customer, issue, channel = follow_ups[number - count - 1]
            else:
                customer, issue, channel = _random_issue(agent, rng)
            complaint = rng.random() < agent.profile.escalation * 2
        tickets.append(_ticket(ticket_id, agent, opened, customer, issue, channel, complaint,
                               month, rng))
        _maybe_follow_up(tickets[-1], agent, month, pending, context, rng)
    return tickets


def ticket_id_of(agent_id: str, day: date, number: int) -> str:
    """The id of an agent's `number`-th ticket of `day` (a conversation's ticket comes first)."""
    return f"TK-{day:%Y%m%d}-{agent_id}-{number:02d}"


def _ticket(ticket_id: str, agent: DemoAgent, opened: datetime, customer: str, issue: str,
            channel: str, complaint: bool, month: int, rng: Random) -> Ticket:
    profile = agent.profile
    handle = rng.randint(*profile.handle_seconds)
    first_response = opened + timedelta(seconds=round(rng.uniform(*profile.first_response_seconds)))
    resolved: datetime | None = first_response + timedelta(seconds=handle)
    if rng.random() < 0.15:  # called back later
        resolved = opened + timedelta(hours=rng.uniform(2, 30))
    if rng.random() > profile.fcr[month] and rng.random() < 0.5:
        resolved = None
    escalated = (complaint and rng.random() < 0.25) or rng.random() < profile.escalation
    return Ticket(ticket_id=ticket_id, agent_id=agent.id, customer_id=customer, issue_key=issue,
                  channel=channel, opened_at=opened, first_response_at=first_response,
                  resolved_at=resolved, handle_seconds=handle,
                  csat=_answer(profile.satisfied[month], rng) if rng.random() < ANSWER_RATE
                  else None, complaint=complaint or escalated, escalated=escalated)


def _maybe_follow_up(ticket: Ticket, agent: DemoAgent, month: int, pending: _Pending,
                     context: TicketContext, rng: Random) -> None:
    """A resolved ticket that did not stay resolved: the customer comes back on the issue."""
    if ticket.resolved_at is None or rng.random() < agent.profile.fcr[month]:
        return
    later = ticket.opened_at.date() + timedelta(days=rng.randint(1, 5))
    if later <= context.days[-1]:
        pending.follow_ups[agent.id, later].append(
            (ticket.customer_id, ticket.issue_key, ticket.channel))


def _answer(satisfied: float, rng: Random) -> int:
    if rng.random() < satisfied:
        return 5 if rng.random() < 0.6 else 4
    return rng.choice((3, 3, 3, 2, 2, 1))


def _shape_csat(agent: DemoAgent, day: date, context: TicketContext, tickets: list[Ticket],
                bad_run: int, rng: Random) -> tuple[list[Ticket], int]:
    """The day's answers: sliding on the story's days, never a third bad day otherwise."""
    slide = agent.profile.csat_slide_days
    if slide and day in context.days[-slide:]:
        rate = SLIDE_RATES[context.days[-slide:].index(day)]
        return _slid(tickets, rate, rng), bad_run + 1
    answers = [t.csat for t in tickets if t.csat is not None]
    if not answers:
        return tickets, 0
    if _satisfied_percent(answers) >= SATISFIED_PERCENT:
        return tickets, 0
    if bad_run < 2:
        return tickets, bad_run + 1
    return [t.model_copy(update={"csat": 4}) if t.csat is not None and t.csat < 4 else t
            for t in tickets], 0


def _slid(tickets: list[Ticket], rate: float, rng: Random) -> list[Ticket]:
    """Every customer answers; `rate` of them satisfied, the rest 1–3."""
    happy = round(rate * len(tickets))
    return [t.model_copy(update={"csat": rng.choice((4, 5)) if i < happy else
                                 rng.choice((1, 2, 3))}) for i, t in enumerate(tickets)]


def _satisfied_percent(answers: Sequence[int]) -> float:
    return 100.0 * sum(1 for a in answers if a >= 4) / len(answers)


def _customer(rng: Random) -> str:
    return f"C{rng.randint(10000, 99999)}"


def _random_issue(agent: DemoAgent, rng: Random) -> tuple[str, str, str]:
    queue = QUEUES[rng.choice(team_of(agent.team_id).queues)]
    return _customer(rng), rng.choice(queue.scenarios).issue_key, queue.channel


def _working_time(day: date, rng: Random) -> datetime:
    minutes = rng.randint(9 * 60, 19 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60, rng.randint(0, 59)),
                            DEFAULT_TIMEZONE)
