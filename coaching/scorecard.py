"""Scorecards: per agent per period, each item's value, score, weight, contribution and data.

The total is Σ score × weight over the items that have data, renormalised to the covered
weight (`weight_coverage`); below the template's `min_coverage` there is no total. A veto in
the period puts the agent in the lowest tier whatever the total (seed 001). A veto still awaiting a
reviewer (`InspectionResult.pending_veto_rule_ids`) does not: the card lists it in
`pending_vetoes` so the reader knows the figures may still change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from coaching.dataset import CoachingInputs, slice_period, team_data
from coaching.dictionary import MetricDictionary
from coaching.item_scoring import compare, score_value
from coaching.metrics import AgentPeriodData, MetricValue, compute_metrics
from coaching.periods import Period
from coaching.template_model import ScorecardTemplate, TemplateItem, VetoPolicy

INSUFFICIENT_TIER = "insufficient_data"
INSUFFICIENT_LABEL = "数据不足"


@dataclass(frozen=True)
class ScorecardItem:
    """One template item for one agent: the value, its score and what it contributes."""

    metric: str
    label: str
    dimension: str
    weight: float
    value: float | None
    score: float | None
    raw_score: float | None
    adjustments: tuple[str, ...]
    contribution: float | None
    missing_reason: str | None
    ticket_ids: tuple[str, ...]
    conversation_ids: tuple[str, ...]


@dataclass(frozen=True)
class TrendPoint:
    """The agent's total in an earlier period (None: no data or no total then)."""

    period: str
    total: float | None
    tier: str | None


@dataclass(frozen=True)
class AgentScorecard:
    """One agent's scorecard for one period."""

    agent_id: str
    period: str
    template: str
    items: tuple[ScorecardItem, ...]
    metrics: Mapping[str, MetricValue]
    total: float | None
    weight_coverage: float
    tier: str
    tier_label: str
    veto: bool
    veto_reasons: tuple[str, ...]
    pending_vetoes: tuple[str, ...] = ()
    """Vetoes awaiting a reviewer ("c-1: fin.x"): not counted in total, tier or bonus."""
    rank: int | None = None
    percentile: float | None = None
    trend: tuple[TrendPoint, ...] = ()

    @property
    def missing_metrics(self) -> tuple[str, ...]:
        return tuple(item.metric for item in self.items if item.value is None)


@dataclass(frozen=True)
class TeamScorecard:
    """All agents' scorecards for a period, ranked, with the team roll-up metrics."""

    period: Period
    template: str
    cards: tuple[AgentScorecard, ...]
    team_metrics: Mapping[str, MetricValue]
    per_agent: Mapping[str, AgentPeriodData]

    def card(self, agent_id: str) -> AgentScorecard | None:
        return next((card for card in self.cards if card.agent_id == agent_id), None)


def score_item(item: TemplateItem, metric: MetricValue, dictionary: MetricDictionary) -> ScorecardItem:
    """Score one item; a missing value gives a missing score, never zero."""
    unscored = ScorecardItem(
        metric=item.metric,
        label=item.label,
        dimension=item.dimension,
        weight=item.weight,
        value=metric.value,
        score=None,
        raw_score=None,
        adjustments=(),
        contribution=None,
        missing_reason=metric.missing_reason,
        ticket_ids=metric.ticket_ids,
        conversation_ids=metric.conversation_ids,
    )
    if metric.value is None:
        return unscored
    scored = score_value(item.scoring, metric.value, dictionary.get(item.metric).direction)
    return replace(
        unscored,
        score=scored.score,
        raw_score=scored.raw_score,
        adjustments=scored.adjustments,
        contribution=round(scored.score * item.weight / 100.0, 4),
    )


def veto_reasons(
    data: AgentPeriodData, metrics: Mapping[str, MetricValue], policy: VetoPolicy
) -> tuple[str, ...]:
    """Why the period is vetoed: one reason per vetoed conversation or veto metric."""
    reasons: list[str] = []
    if policy.inspection_veto:
        for conversation, result in data.inspected:
            rules = [r for r in result.veto_rule_ids if not policy.rule_ids or r in policy.rule_ids]
            if rules:
                reasons.append(f"{conversation.id}: {', '.join(rules)}")
    for veto in policy.metrics:
        value = metrics[veto.metric].value
        if value is not None and compare(veto.op, value, veto.threshold):
            reasons.append(f"{veto.metric} = {value:g}")
    return tuple(reasons)


def pending_vetoes(data: AgentPeriodData, policy: VetoPolicy) -> tuple[str, ...]:
    """The period's vetoes still awaiting a reviewer, one line per conversation (those the
    template's veto policy would count once confirmed)."""
    if not policy.inspection_veto:
        return ()
    lines = []
    for conversation, result in data.inspected:
        rules = [r for r in result.pending_veto_rule_ids
                 if not policy.rule_ids or r in policy.rule_ids]
        if rules:
            lines.append(f"{conversation.id}: {', '.join(rules)}")
    return tuple(lines)


def score_agent(
    data: AgentPeriodData,
    inputs: CoachingInputs,
    template: ScorecardTemplate,
    period: Period,
    dictionary: MetricDictionary,
) -> AgentScorecard:
    """The unranked scorecard of one agent."""
    metrics = compute_metrics(data, inputs.context(data.agent_id, period.label), dictionary)
    items = tuple(score_item(item, metrics[item.metric], dictionary) for item in template.items)
    covered = sum(item.weight for item in items if item.score is not None)
    total = None
    if covered > 0 and covered + 1e-9 >= template.min_coverage:
        total = round(sum(item.contribution or 0.0 for item in items) * 100.0 / covered, 2)
    reasons = veto_reasons(data, metrics, template.veto)
    if reasons:
        tier = template.lowest_tier
        tier_name, tier_label = tier.name, tier.label
    elif total is None:
        tier_name, tier_label = INSUFFICIENT_TIER, INSUFFICIENT_LABEL
    else:
        tier = template.tier_for(total)
        tier_name, tier_label = tier.name, tier.label
    return AgentScorecard(
        agent_id=data.agent_id,
        period=period.label,
        template=template.name,
        items=items,
        metrics=metrics,
        total=total,
        weight_coverage=round(covered, 4),
        tier=tier_name,
        tier_label=tier_label,
        veto=bool(reasons),
        veto_reasons=reasons,
        pending_vetoes=pending_vetoes(data, template.veto),
    )


def rank_cards(cards: Sequence[AgentScorecard]) -> tuple[AgentScorecard, ...]:
    """Rank by total (ties share a rank); vetoed agents rank after all others.

    Percentile = share of the other ranked agents placed strictly below, × 100.
    Agents without a total and without a veto are not ranked.
    """
    ranked = [card for card in cards if card.total is not None or card.veto]
    keys = {card.agent_id: (card.veto, -(card.total or 0.0)) for card in ranked}
    ordered = sorted(ranked, key=lambda card: (keys[card.agent_id], card.agent_id))
    count = len(ordered)
    result: dict[str, AgentScorecard] = {}
    for card in ordered:
        key = keys[card.agent_id]
        better = sum(1 for other in ordered if keys[other.agent_id] < key)
        below = sum(1 for other in ordered if keys[other.agent_id] > key)
        percentile = 100.0 if count == 1 else round(100.0 * below / (count - 1), 2)
        result[card.agent_id] = replace(card, rank=better + 1, percentile=percentile)
    unranked = sorted((c for c in cards if c.agent_id not in result), key=lambda c: c.agent_id)
    return tuple(result[c.agent_id] for c in ordered) + tuple(unranked)


def score_period(
    inputs: CoachingInputs,
    template: ScorecardTemplate,
    period: Period,
    dictionary: MetricDictionary,
) -> TeamScorecard:
    """Ranked scorecards of every agent with tickets or conversations in `period`."""
    per_agent = slice_period(inputs, period)
    cards = [score_agent(data, inputs, template, period, dictionary) for data in per_agent.values()]
    team = team_data(per_agent)
    team_metrics = compute_metrics(team, inputs.context(team.agent_id, period.label), dictionary)
    return TeamScorecard(period, template.name, rank_cards(cards), team_metrics, per_agent)


def with_trend(current: TeamScorecard, history: Sequence[TeamScorecard]) -> TeamScorecard:
    """Attach each agent's totals in the earlier periods (oldest first)."""
    cards = []
    for card in current.cards:
        points = []
        for earlier in history:
            old = earlier.card(card.agent_id)
            points.append(
                TrendPoint(
                    earlier.period.label,
                    old.total if old else None,
                    old.tier if old else None,
                )
            )
        cards.append(replace(card, trend=tuple(points)))
    return replace(current, cards=tuple(cards))
