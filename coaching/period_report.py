"""One call that turns the inputs into everything a supervisor reads for a period."""

from __future__ import annotations

from dataclasses import dataclass, field

from coaching.alerts import Alert, AlertPolicy, build_alerts
from coaching.bonus import BonusPolicy, BonusResult, compute_bonuses
from coaching.dataset import CoachingInputs
from coaching.dictionary import MetricDictionary, load_metric_dictionary
from coaching.effectiveness import SkillHeatmap, skill_heatmap
from coaching.periods import Period, previous_periods
from coaching.recommend import Recommendation, recommend, team_medians
from coaching.scorecard import TeamScorecard, score_period, with_trend
from coaching.skills import SkillCatalogue, load_skill_catalogue
from coaching.template_model import ScorecardTemplate


@dataclass(frozen=True)
class ReportOptions:
    """Policies for bonuses and alerts, and how many earlier periods to compare with."""

    bonus: BonusPolicy = field(default_factory=BonusPolicy)
    alerts: AlertPolicy = field(default_factory=AlertPolicy)
    history_periods: int = 2
    max_evidence: int = 3


@dataclass(frozen=True)
class PeriodReport:
    """Scorecards, bonuses, recommendations, alerts and the skill heatmap of one period."""

    template: ScorecardTemplate
    team: TeamScorecard
    history: tuple[TeamScorecard, ...]
    bonuses: dict[str, BonusResult]
    recommendations: dict[str, tuple[Recommendation, ...]]
    alerts: tuple[Alert, ...]
    heatmap: SkillHeatmap


def build_report(
    inputs: CoachingInputs,
    template: ScorecardTemplate,
    period: Period,
    options: ReportOptions | None = None,
    dictionary: MetricDictionary | None = None,
    catalogue: SkillCatalogue | None = None,
) -> PeriodReport:
    """Score `period` and the earlier periods, then bonuses, coaching, alerts and heatmap."""
    opts = options or ReportOptions()
    metrics_dict = dictionary or load_metric_dictionary()
    skills = catalogue or load_skill_catalogue()
    history_count = max(opts.history_periods, opts.bonus.bottom_periods - 1)
    history = tuple(
        score_period(inputs, template, earlier, metrics_dict)
        for earlier in previous_periods(period, history_count)
    )
    team = with_trend(score_period(inputs, template, period, metrics_dict), history)
    medians = team_medians([card.metrics for card in team.cards])
    recommendations = {
        card.agent_id: tuple(
            recommend(
                team.per_agent[card.agent_id],
                card.metrics,
                medians,
                metrics_dict,
                skills,
                opts.max_evidence,
            )
        )
        for card in team.cards
    }
    previous = history[-1] if history else None
    return PeriodReport(
        template=template,
        team=team,
        history=history,
        bonuses=compute_bonuses(team, history, opts.bonus),
        recommendations=recommendations,
        alerts=tuple(build_alerts(inputs, team, previous, opts.alerts)),
        heatmap=skill_heatmap(team.per_agent, skills),
    )
