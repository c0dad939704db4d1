"""The agent page (scorecard, trend, findings, coaching, appeals) and the team dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request, Response

from api.http.auth import require_role
from api.http.deps import PrincipalDep, RuntimeDep, SessionDep
from api.http.errors import PermissionDeniedError
from api.http.pages.rendering import PageRoute, render
from api.services.access import Principal
from api.services.coaching import TEAM_ALERT
from api.services.dashboards import (
    choose_period,
    findings_by_rule,
    load_coaching,
    score_histogram,
    skill_catalogue,
    team_trend,
    template_names,
)
from coaching.scorecard import AgentScorecard
from models import Agent
from models.enums import QUEUE_VIEWERS, UserRole
from models.errors import NotFoundError
from models.page_queries import list_agents, list_teams

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 420, 160, 28
CHART_SIDE = 56  # room for the period labels


@dataclass(frozen=True)
class ChartPoint:
    label: str
    total: float | None
    x: float
    y: float | None


def trend_points(card: AgentScorecard) -> list[ChartPoint]:
    """The earlier periods and this one, placed on a 0–100 (or higher) vertical scale."""
    series = [(p.period, p.total) for p in card.trend] + [(card.period, card.total)]
    top = max([100.0, *(total for _, total in series if total is not None)])
    step = (CHART_WIDTH - 2 * CHART_SIDE) / max(len(series) - 1, 1)
    height = CHART_HEIGHT - 2 * CHART_PAD
    return [ChartPoint(label, total, CHART_SIDE + i * step,
                       None if total is None else CHART_PAD + height * (1 - total / top))
            for i, (label, total) in enumerate(series)]


def visible_agent(session: SessionDep, principal: Principal, agent_id: str) -> Agent:
    """404 for unknown agents and for agents the caller may not see (no existence leak)."""
    agent = session.get(Agent, agent_id)
    if agent is None or not principal.can_see_agent(agent.id, agent.team_id):
        raise NotFoundError(f"坐席 {agent_id} 不存在")
    return agent


@router.get("/agents/{agent_id}")
def agent_page(agent_id: str, request: Request, principal: PrincipalDep, session: SessionDep,
               runtime: RuntimeDep, period: str | None = None, template: str = "finance"
               ) -> Response:
    agent = visible_agent(session, principal, agent_id)
    chosen = choose_period(session, agent_ids=[agent.id], text=period)
    coaching = load_coaching(session, runtime.policy, agent_ids=[agent.id], period=chosen,
                             template=template)
    report = coaching.report
    card = next((c for c in report.team.cards if c.agent_id == agent.id), None)
    own = tuple(s for s in coaching.in_period if s.row.agent_id == agent.id)
    findings = [(s.row, f) for s in own for f in s.findings if f.deduction > 0 or f.veto]
    return render(
        request, "agent.html", principal, agent=agent, coaching=coaching, card=card,
        bonus=report.bonuses.get(agent.id), trend=trend_points(card) if card else [],
        chart={"width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": CHART_PAD,
               "side": CHART_SIDE},
        recommendations=report.recommendations.get(agent.id, ()), own=own,
        by_rule=findings_by_rule(own), findings=findings, templates=template_names(),
        alerts=[a for a in report.alerts if a.agent_id == agent.id],
        can_appeal=principal.role == UserRole.AGENT and principal.agent_id == agent.id)


def team_agents(session: SessionDep, principal: Principal, team: str | None) -> list[str]:
    if principal.role == UserRole.SUPERVISOR:
        if team and team != principal.team_id:
            raise PermissionDeniedError("班组长只能查看本班组的看板")
        team = principal.team_id
    return [a.id for a in list_agents(session, team_id=team or None)]


@router.get("/team")
def team_page(request: Request, principal: PrincipalDep, session: SessionDep,
              runtime: RuntimeDep, team: str | None = None, period: str | None = None,
              template: str = "finance") -> Response:
    require_role(principal, QUEUE_VIEWERS)
    agent_ids = team_agents(session, principal, team)
    chosen = choose_period(session, agent_ids=agent_ids, text=period)
    coaching = load_coaching(session, runtime.policy, agent_ids=agent_ids, period=chosen,
                             template=template)
    shown = set(agent_ids)
    teams = [t.id for t in list_teams(session)]
    if principal.role == UserRole.SUPERVISOR:
        teams = [t for t in teams if t == principal.team_id]
    catalogue = skill_catalogue()
    return render(
        request, "team.html", principal, coaching=coaching, report=coaching.report,
        cards=[c for c in coaching.report.team.cards if c.agent_id in shown],
        heat_agents=[a for a in coaching.report.heatmap.agents if a in shown],
        alerts=[a for a in coaching.report.alerts if a.agent_id == TEAM_ALERT or a.agent_id in shown],
        histogram=score_histogram(coaching.in_period), trend=team_trend(coaching.report, shown),
        vetoes=sum(1 for s in coaching.in_period if s.row.veto),
        top_rules=findings_by_rule(coaching.in_period)[:8], teams=teams,
        team=team or (principal.team_id if principal.role == UserRole.SUPERVISOR else ""),
        skill_labels={s.id: s.label for s in catalogue.skills}, templates=template_names())
