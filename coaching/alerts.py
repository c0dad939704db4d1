"""Alerts: a metric past its threshold N days running (seed 003: CSAT < 85% for 3 days),
veto occurrences, and a rise in complaint-intent conversations against the previous period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from coaching.dataset import CoachingInputs, slice_interval, team_data
from coaching.item_scoring import SYMBOLS, Comparison, compare
from coaching.metrics import METRIC_FUNCTIONS, AgentPeriodData
from coaching.periods import Period
from coaching.scorecard import TeamScorecard

AlertKind = Literal["metric_streak", "veto", "veto_pending", "complaint_intent_rise"]
TEAM = "team"


@dataclass(frozen=True)
class StreakRule:
    """Alert when `metric` is `op` `threshold` on `days` consecutive calendar days."""

    metric: str = "csat_satisfied_rate"
    op: Comparison = "lt"
    threshold: float = 85.0
    days: int = 3


@dataclass(frozen=True)
class AlertPolicy:
    """Which alerts to raise. Days without data break a streak."""

    streaks: tuple[StreakRule, ...] = field(default_factory=lambda: (StreakRule(),))
    complaint_rise_points: float = 5.0


@dataclass(frozen=True)
class Alert:
    """One alert; `agent_id` is "team" for team-level alerts."""

    kind: AlertKind
    agent_id: str
    message: str
    metric: str | None = None
    days: tuple[str, ...] = ()
    values: tuple[float, ...] = ()
    conversation_ids: tuple[str, ...] = ()


def _daily(inputs: CoachingInputs, period: Period) -> list[tuple[date, dict[str, AgentPeriodData]]]:
    days = []
    for day in period.days():
        start = datetime(day.year, day.month, day.day, tzinfo=inputs.tz)
        per_agent = slice_interval(inputs, start, start + timedelta(days=1))
        per_agent[TEAM] = team_data(per_agent, TEAM)
        days.append((day, per_agent))
    return days


def metric_streak_alerts(inputs: CoachingInputs, period: Period, rule: StreakRule) -> list[Alert]:
    """Runs of ≥ `rule.days` days with the metric past the threshold, per agent and team."""
    if rule.metric not in METRIC_FUNCTIONS:
        raise ValueError(f"streak alerts need a computed metric, not {rule.metric!r}")
    daily = _daily(inputs, period)
    agents = sorted({agent for _, per_agent in daily for agent in per_agent})
    alerts: list[Alert] = []
    for agent in agents:
        values: list[tuple[date, float | None]] = []
        for day, per_agent in daily:
            data = per_agent.get(agent)
            ctx = inputs.context(agent, period.label)
            value = METRIC_FUNCTIONS[rule.metric](rule.metric, data, ctx).value if data else None
            values.append((day, value))
        alerts.extend(_streaks(agent, values, rule))
    return alerts


def _streaks(agent: str, values: Sequence[tuple[date, float | None]], rule: StreakRule) -> list[Alert]:
    alerts: list[Alert] = []
    run: list[tuple[date, float]] = []
    for day, value in [*values, (date.max, None)]:
        if value is not None and compare(rule.op, value, rule.threshold):
            run.append((day, value))
            continue
        if len(run) >= rule.days:
            first, last = run[0][0].isoformat(), run[-1][0].isoformat()
            alerts.append(
                Alert(
                    kind="metric_streak",
                    agent_id=agent,
                    message=f"{rule.metric} 连续 {len(run)} 天 {SYMBOLS[rule.op]} {rule.threshold:g}"
                    f"（{first} 至 {last}）",
                    metric=rule.metric,
                    days=tuple(d.isoformat() for d, _ in run),
                    values=tuple(round(v, 2) for _, v in run),
                )
            )
        run = []
    return alerts


def veto_alerts(team: TeamScorecard) -> list[Alert]:
    """One alert per vetoed conversation in the period; a veto awaiting a reviewer is its own
    kind (`veto_pending`) and says so."""
    alerts = []
    for agent, data in sorted(team.per_agent.items()):
        for conversation, result in data.inspected:
            if result.veto:
                rules = ", ".join(result.veto_rule_ids)
                message = f"会话 {conversation.id} 触发否决项：{rules}"
                alerts.append(Alert(kind="veto", agent_id=agent, message=message,
                                    conversation_ids=(conversation.id,)))
            if result.pending_veto_rule_ids:
                rules = ", ".join(result.pending_veto_rule_ids)
                message = f"会话 {conversation.id} 否决待确认（pending）：{rules}，复核确认前不计入"
                alerts.append(Alert(kind="veto_pending", agent_id=agent, message=message,
                                    conversation_ids=(conversation.id,)))
    return alerts


def complaint_rise_alerts(
    current: TeamScorecard, previous: TeamScorecard | None, min_rise_points: float
) -> list[Alert]:
    """Complaint-intent rate up by ≥ `min_rise_points` percentage points on the previous period."""
    if previous is None:
        return []
    pairs: list[tuple[str, float | None, float | None, tuple[str, ...]]] = []
    metric = "complaint_intent_rate"
    for card in current.cards:
        old = previous.card(card.agent_id)
        now_value = card.metrics[metric]
        before = old.metrics[metric].value if old else None
        pairs.append((card.agent_id, now_value.value, before, now_value.conversation_ids))
    team_now = current.team_metrics[metric]
    pairs.append((TEAM, team_now.value, previous.team_metrics[metric].value, team_now.conversation_ids))
    return list(_rises(pairs, min_rise_points, previous.period.label))


def _rises(
    pairs: Iterable[tuple[str, float | None, float | None, tuple[str, ...]]],
    min_rise: float,
    previous_label: str,
) -> Iterable[Alert]:
    for agent, now, before, ids in pairs:
        if now is None or before is None or now - before < min_rise:
            continue
        yield Alert(
            kind="complaint_intent_rise",
            agent_id=agent,
            message=f"投诉倾向会话占比 {before:.1f}% → {now:.1f}%（较 {previous_label}）",
            metric="complaint_intent_rate",
            values=(round(before, 2), round(now, 2)),
            conversation_ids=ids,
        )


def build_alerts(
    inputs: CoachingInputs,
    current: TeamScorecard,
    previous: TeamScorecard | None,
    policy: AlertPolicy,
) -> list[Alert]:
    """All alerts of the period: streaks, vetoes, complaint-intent rises."""
    alerts: list[Alert] = []
    for rule in policy.streaks:
        alerts.extend(metric_streak_alerts(inputs, current.period, rule))
    alerts.extend(veto_alerts(current))
    alerts.extend(complaint_rise_alerts(current, previous, policy.complaint_rise_points))
    return alerts
