"""Compute the metric dictionary's metrics for one agent in one period.

Every computed metric has one function in `METRIC_FUNCTIONS` (an explicit registry keyed by
metric name); `manual` metrics come from the manual-input CSV. A metric the data cannot
supply has `value=None` and a `missing_reason` — never a silent zero.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean

from coaching.dictionary import MetricDictionary
from coaching.tickets import Ticket
from inspection.types import Conversation, InspectionResult

Inspected = tuple[Conversation, InspectionResult]
RecontactIndex = Mapping[tuple[str, str], list[datetime]]
COMPLAINT_INTENT_RULE = "risk.complaint_intent"


@dataclass(frozen=True)
class MetricOptions:
    """Tunable parts of the formulas (统一口径 parameters)."""

    first_response_target_seconds: float = 30.0
    fcr_window_days: int = 7

    def __post_init__(self) -> None:
        if self.first_response_target_seconds < 0:
            raise ValueError("first-response target seconds must be ≥ 0")
        if self.fcr_window_days < 1:
            raise ValueError("the FCR re-contact window must be at least 1 day")


@dataclass(frozen=True)
class MetricValue:
    """A metric's value with the numbers and the records behind it."""

    name: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    missing_reason: str | None = None
    ticket_ids: tuple[str, ...] = ()
    conversation_ids: tuple[str, ...] = ()

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class AgentPeriodData:
    """What one agent did in one period: tickets opened and conversations started in it."""

    agent_id: str
    tickets: tuple[Ticket, ...] = ()
    inspected: tuple[Inspected, ...] = ()


@dataclass(frozen=True)
class MetricContext:
    """Inputs shared by all agents: all tickets (FCR looks past the period), sentiment, manual."""

    all_tickets: tuple[Ticket, ...] = ()
    recontacts: RecontactIndex | None = None
    de_escalated: Mapping[str, bool | None] | None = None
    manual: Mapping[str, float] = field(default_factory=dict)
    options: MetricOptions = field(default_factory=MetricOptions)


MetricFunction = Callable[[str, AgentPeriodData, MetricContext], MetricValue]
NO_TICKETS = "周期内无工单 (no tickets in period)"
NO_CONVERSATIONS = "周期内无已质检会话 (no inspected conversations in period)"


def _ids(tickets: Sequence[Ticket]) -> tuple[str, ...]:
    return tuple(t.ticket_id for t in tickets)


def _conv_ids(inspected: Sequence[Inspected]) -> tuple[str, ...]:
    return tuple(conv.id for conv, _ in inspected)


def _rate(name: str, hits: int, total: int, missing: str, **ids: tuple[str, ...]) -> MetricValue:
    if total == 0:
        return MetricValue(name, None, hits, 0, missing, **ids)
    return MetricValue(name, 100.0 * hits / total, hits, total, None, **ids)


def _mean(name: str, values: Sequence[float], missing: str, **ids: tuple[str, ...]) -> MetricValue:
    if not values:
        return MetricValue(name, None, None, 0, missing, **ids)
    return MetricValue(name, fmean(values), sum(values), len(values), None, **ids)


def tickets_handled(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    count = len(data.tickets)
    return MetricValue(name, float(count), count, None, None, _ids(data.tickets))


def handle_seconds_mean(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    used = [t for t in data.tickets if t.handle_seconds is not None]
    missing = NO_TICKETS if not data.tickets else "无处理时长记录 (no handle_seconds)"
    return _mean(name, [t.handle_seconds or 0.0 for t in used], missing, ticket_ids=_ids(used))


def first_response_seconds_mean(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    used = [t for t in data.tickets if t.first_response_seconds is not None]
    values = [t.first_response_seconds or 0.0 for t in used]
    missing = NO_TICKETS if not data.tickets else "无首次响应记录 (no first_response_at)"
    return _mean(name, values, missing, ticket_ids=_ids(used))


def first_response_compliance_rate(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    used = [t for t in data.tickets if t.first_response_seconds is not None]
    limit = ctx.options.first_response_target_seconds
    hits = sum(1 for t in used if (t.first_response_seconds or 0.0) <= limit)
    missing = NO_TICKETS if not data.tickets else "无首次响应记录 (no first_response_at)"
    return _rate(name, hits, len(used), missing, ticket_ids=_ids(used))


def response_seconds_mean(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    gaps: list[float] = []
    for conv, _ in data.inspected:
        turns = conv.utterances
        for before, after in itertools.pairwise(turns):
            if before.role == "customer" and after.role == "agent":
                gaps.append(max(0.0, after.start - before.end))
    missing = NO_CONVERSATIONS if not data.inspected else "会话中无客户→坐席轮换 (no replies)"
    return _mean(name, gaps, missing, conversation_ids=_conv_ids(data.inspected))


def resolution_hours_mean(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    used = [t for t in data.tickets if t.resolution_hours is not None]
    missing = NO_TICKETS if not data.tickets else "无已解决工单 (no resolved_at)"
    return _mean(name, [t.resolution_hours or 0.0 for t in used], missing, ticket_ids=_ids(used))


def recontact_index(tickets: Sequence[Ticket]) -> RecontactIndex:
    """Opening times of every (customer_id, issue_key), sorted: built once per ticket set."""
    index: dict[tuple[str, str], list[datetime]] = {}
    for ticket in tickets:
        index.setdefault((ticket.customer_id, ticket.issue_key), []).append(ticket.opened_at)
    for times in index.values():
        times.sort()
    return index


def recontacted(ticket: Ticket, index: RecontactIndex, window_days: int) -> bool:
    """True when the same customer raised the same issue again within `window_days` (inclusive)."""
    times = index.get((ticket.customer_id, ticket.issue_key), [])
    after = bisect.bisect_right(times, ticket.opened_at)
    return after < len(times) and times[after] <= ticket.opened_at + timedelta(days=window_days)


def fcr_rate(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    window = ctx.options.fcr_window_days
    index = ctx.recontacts
    if index is None:
        index = recontact_index(ctx.all_tickets or data.tickets)
    hits = sum(1 for t in data.tickets if t.resolved_at is not None and not recontacted(t, index, window))
    return _rate(name, hits, len(data.tickets), NO_TICKETS, ticket_ids=_ids(data.tickets))


def csat_mean(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    used = [t for t in data.tickets if t.csat is not None]
    missing = NO_TICKETS if not data.tickets else "无满意度回复 (no CSAT responses)"
    return _mean(name, [float(t.csat or 0) for t in used], missing, ticket_ids=_ids(used))


def csat_satisfied_rate(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    used = [t for t in data.tickets if t.csat is not None]
    hits = sum(1 for t in used if (t.csat or 0) >= 4)
    missing = NO_TICKETS if not data.tickets else "无满意度回复 (no CSAT responses)"
    return _rate(name, hits, len(used), missing, ticket_ids=_ids(used))


def complaint_rate(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    hits = sum(1 for t in data.tickets if t.complaint)
    return _rate(name, hits, len(data.tickets), NO_TICKETS, ticket_ids=_ids(data.tickets))


def escalation_rate(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    hits = sum(1 for t in data.tickets if t.escalated)
    return _rate(name, hits, len(data.tickets), NO_TICKETS, ticket_ids=_ids(data.tickets))


def qa_score_mean(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    scores = [result.score for _, result in data.inspected]
    return _mean(name, scores, NO_CONVERSATIONS, conversation_ids=_conv_ids(data.inspected))


def veto_count(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    vetoed = [(c, r) for c, r in data.inspected if r.veto]
    if not data.inspected:
        return MetricValue(name, None, None, None, NO_CONVERSATIONS)
    return MetricValue(name, float(len(vetoed)), len(vetoed), None, None, (), _conv_ids(vetoed))


def _pass_rate(category: str) -> MetricFunction:
    def compute(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
        passed = sum(
            1
            for _, result in data.inspected
            if not any(f.category == category and (f.deduction > 0 or f.veto) for f in result.findings)
        )
        ids = _conv_ids(data.inspected)
        return _rate(name, passed, len(data.inspected), NO_CONVERSATIONS, conversation_ids=ids)

    compute.__doc__ = f"Share of conversations without a deducting `{category}` finding."
    return compute


def complaint_intent_rate(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    flagged = [
        (c, r) for c, r in data.inspected if any(f.rule_id == COMPLAINT_INTENT_RULE for f in r.findings)
    ]
    ids = _conv_ids(flagged)
    return _rate(name, len(flagged), len(data.inspected), NO_CONVERSATIONS, conversation_ids=ids)


def de_escalation_rate(name: str, data: AgentPeriodData, ctx: MetricContext) -> MetricValue:
    if ctx.de_escalated is None:
        return MetricValue(name, None, None, None, "未提供情绪分析数据 (no sentiment input)")
    known = [
        (conv.id, ctx.de_escalated[conv.id])
        for conv, _ in data.inspected
        if ctx.de_escalated.get(conv.id) is not None
    ]
    hits = sum(1 for _, calmed in known if calmed)
    missing = "无负面情绪会话的情绪结论 (no de-escalation verdicts)"
    return _rate(name, hits, len(known), missing, conversation_ids=tuple(cid for cid, _ in known))


METRIC_FUNCTIONS: dict[str, MetricFunction] = {
    "tickets_handled": tickets_handled,
    "handle_seconds_mean": handle_seconds_mean,
    "first_response_seconds_mean": first_response_seconds_mean,
    "first_response_compliance_rate": first_response_compliance_rate,
    "response_seconds_mean": response_seconds_mean,
    "resolution_hours_mean": resolution_hours_mean,
    "fcr_rate": fcr_rate,
    "csat_mean": csat_mean,
    "csat_satisfied_rate": csat_satisfied_rate,
    "complaint_rate": complaint_rate,
    "escalation_rate": escalation_rate,
    "qa_score_mean": qa_score_mean,
    "veto_count": veto_count,
    "compliance_pass_rate": _pass_rate("compliance"),
    "courtesy_pass_rate": _pass_rate("courtesy"),
    "process_pass_rate": _pass_rate("process"),
    "complaint_intent_rate": complaint_intent_rate,
    "de_escalation_rate": de_escalation_rate,
}


def compute_metrics(
    data: AgentPeriodData, ctx: MetricContext, dictionary: MetricDictionary
) -> dict[str, MetricValue]:
    """Every metric in `dictionary` for one agent-period, keyed by metric name."""
    values: dict[str, MetricValue] = {}
    for metric in dictionary.metrics:
        if metric.source == "manual":
            values[metric.name] = _manual(metric.name, ctx.manual)
        else:
            values[metric.name] = METRIC_FUNCTIONS[metric.name](metric.name, data, ctx)
    return values


def _manual(name: str, manual: Mapping[str, float]) -> MetricValue:
    if name not in manual:
        return MetricValue(name, None, None, None, "未人工录入 (not in manual-input CSV)")
    return MetricValue(name, float(manual[name]))
