"""What the agent and team pages show beside the API's coaching report: the period to show,
the shown agents' stored conversations in it, and what the pages count over them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlmodel import Session

from api.services.coaching import period_report
from coaching import PeriodReport, parse_period
from coaching.periods import DEFAULT_TIMEZONE, Period, period_containing
from coaching.skills import SkillCatalogue, load_skill_catalogue
from coaching.template_model import list_templates
from inspection.errors import InvalidInputError
from inspection.scoring import ScoringPolicy
from models.page_queries import StoredConversation, finished_conversations, latest_start

SCORE_BANDS = (("<60", 0, 60), ("60–69", 60, 70), ("70–79", 70, 80), ("80–89", 80, 90),
               ("90–100", 90, 101))


@dataclass(frozen=True)
class Coaching:
    """The report of one period plus the stored conversations of the shown agents in it."""

    period: Period
    template: str
    report: PeriodReport
    in_period: tuple[StoredConversation, ...]


@lru_cache(maxsize=1)
def skill_catalogue() -> SkillCatalogue:
    return load_skill_catalogue()


def template_names() -> list[str]:
    return list_templates()


def choose_period(session: Session, *, agent_ids: list[str], text: str | None) -> Period:
    """The period asked for, else the month of the newest conversation, else this month."""
    if text:
        try:
            return parse_period(text)
        except ValueError as exc:
            raise InvalidInputError("period", f"周期格式应为 2026-11 / 2026-W44 / 2026-Q4：{exc}") from None
    newest = latest_start(session, agent_ids=agent_ids)
    return period_containing("month", newest or datetime.now(DEFAULT_TIMEZONE))


def load_coaching(session: Session, policy: ScoringPolicy, *, agent_ids: list[str],
                  period: Period, template: str) -> Coaching:
    """The API's period report (so the same numbers as `/api/scorecards`) and the agents'
    stored conversations of the period."""
    report = period_report(session, policy, period=period.label, template=template)
    stored = finished_conversations(session, agent_ids=agent_ids, since=period.start,
                                    until=period.end)
    return Coaching(period, template, report, tuple(stored))


def findings_by_rule(stored: tuple[StoredConversation, ...]) -> list[tuple[str, str, int, int]]:
    """(rule id, rule name, findings that count, conversations) — most frequent first."""
    counts: Counter[str] = Counter()
    conversations: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for item in stored:
        for finding in item.findings:
            if finding.counts and (finding.deduction > 0 or finding.veto):
                counts[finding.rule_id] += 1
                conversations.setdefault(finding.rule_id, set()).add(item.row.id)
                names[finding.rule_id] = finding.rule_name
    return [(rule, names[rule], n, len(conversations[rule])) for rule, n in counts.most_common()]


@dataclass(frozen=True)
class TeamTrendRow:
    """One period of the team dashboard's trend, over the shown agents' scorecards."""

    period: str
    mean_total: float | None
    mean_qa_score: float | None
    vetoed: int
    agents: int


def team_trend(report: PeriodReport, agent_ids: set[str]) -> list[TeamTrendRow]:
    """The report's earlier periods and its own (oldest first), over `agent_ids`."""
    rows = []
    for team in (*report.history, report.team):
        cards = [card for card in team.cards if card.agent_id in agent_ids]
        qa_scores = [metric.value for card in cards
                     if (metric := card.metrics.get("qa_score_mean")) and metric.value is not None]
        rows.append(TeamTrendRow(team.period.label,
                                 _mean([c.total for c in cards if c.total is not None]),
                                 _mean(qa_scores), sum(1 for c in cards if c.veto), len(cards)))
    return rows


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def score_histogram(stored: tuple[StoredConversation, ...]) -> list[tuple[str, int]]:
    """Conversations per score band, lowest band first."""
    scores = [s.row.score for s in stored if s.row.score is not None]
    return [(label, sum(1 for v in scores if low <= v < high)) for label, low, high in SCORE_BANDS]
