"""The review queue (with filters and counts). The rules pages are in `pages.rules`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from fastapi import APIRouter, Request, Response

from api.http.auth import require_role
from api.http.deps import PrincipalDep, RuntimeDep, SessionDep
from api.http.pages.rendering import LOCAL_TIMEZONE, PageRoute, render
from api.services.access import Principal
from inspection.errors import InvalidInputError
from models.enums import QUEUE_VIEWERS, UserRole
from models.page_queries import list_agents, list_teams, queue_counts
from models.queries import ConversationFilter, review_queue

router = APIRouter(route_class=PageRoute, include_in_schema=False)
QUEUE_LIMIT = 200


def parse_day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(field, f"日期格式应为 YYYY-MM-DD，而不是 {value!r}") from None


def queue_filter(principal: Principal, *, team: str | None, agent: str | None,
                 rule: str | None, since: date | None, until: date | None) -> ConversationFilter:
    """The user's filters inside what the principal may see (local days; `until` inclusive)."""
    scope = principal.visibility()
    return ConversationFilter(
        team_id=team or None, agent_id=agent or None, rule_id=rule or None,
        since=datetime.combine(since, time(), LOCAL_TIMEZONE) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(), LOCAL_TIMEZONE) if until else None,
        visible_agent_ids=scope.visible_agent_ids, visible_team_id=scope.visible_team_id)


@router.get("/review")
def review_page(request: Request, principal: PrincipalDep, session: SessionDep,
                runtime: RuntimeDep, team: str | None = None, agent: str | None = None,
                rule: str | None = None, since: str | None = None, until: str | None = None
                ) -> Response:
    require_role(principal, QUEUE_VIEWERS)
    filters = queue_filter(principal, team=team, agent=agent, rule=rule,
                           since=parse_day(since, "since"), until=parse_day(until, "until"))
    rows = review_queue(session, filters=filters, limit=QUEUE_LIMIT)
    teams = [t.id for t in list_teams(session)]
    if principal.role == UserRole.SUPERVISOR:
        teams = [t for t in teams if t == principal.team_id]
    agents = [a.id for a in list_agents(session, team_id=principal.visibility().visible_team_id)]
    return render(request, "review.html", principal, rows=rows,
                  counts=queue_counts(session, filters=filters), teams=teams, agents=agents,
                  rule_ids=sorted(r.id for r in runtime.pipeline.rules.rules),
                  selected={"team": team or "", "agent": agent or "", "rule": rule or "",
                            "since": since or "", "until": until or ""})

