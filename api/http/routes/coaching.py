"""Tickets import, scorecards, coaching plans and alerts: `coaching/` behind thin routes."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlmodel import Session, select
from starlette.concurrency import run_in_threadpool

from api.auth import Principal
from api.coaching_data import import_tickets, period_report
from api.deps import PrincipalDep, ServicesDep, SessionDep
from api.services import Services
from coaching.render import agent_json
from coaching.tickets import TicketImport
from inspection.errors import InvalidInputError
from models import Agent, CoachingPlan, Scorecard, session_scope

router = APIRouter(prefix="/api", tags=["coaching"])
PeriodQuery = Annotated[str, Query(description="2026-10（月）/ 2026-W44（周）/ 2026-Q4（季度）")]
TemplateQuery = Annotated[str, Query(description="评分模板名，如 finance")]
MAX_TICKETS_BYTES = 20 * 1024 * 1024


@router.post("/tickets", summary="导入工单 CSV（坏行按行号报告并跳过）")
async def post_tickets(request: Request, principal: PrincipalDep, services: ServicesDep
                       ) -> dict[str, Any]:
    principal.require("admin", "qa_reviewer", "supervisor")
    body = await request.body()
    if len(body) > MAX_TICKETS_BYTES:
        raise InvalidInputError("tickets.csv", f"文件超过 {MAX_TICKETS_BYTES} 字节")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError("tickets.csv", "不是 UTF-8 编码：请另存为 UTF-8") from None
    if not text.strip():
        raise InvalidInputError("tickets.csv", "文件为空")
    result = await run_in_threadpool(_import, services, text)
    return {"imported": len(result.tickets), "skipped": len(result.errors),
            "errors": [str(error) for error in result.errors]}


def _import(services: Services, text: str) -> TicketImport:
    with session_scope(services.engine) as session:
        return import_tickets(session, text)


def _allowed_agents(session: Session, principal: Principal) -> set[str] | None:
    if principal.role == "agent":
        return {principal.agent_id or ""}
    if principal.role == "supervisor":
        return set(session.exec(select(Agent.id).where(Agent.team_id == principal.team_id)))
    return None


@router.get("/scorecards", summary="评分卡：每位可见坐席的指标、得分、档位、排名、奖金")
def get_scorecards(period: PeriodQuery, principal: PrincipalDep, session: SessionDep,
                   services: ServicesDep, template: TemplateQuery = "finance") -> dict[str, Any]:
    report = period_report(session, services.policy, period=period, template=template)
    allowed = _allowed_agents(session, principal)
    cards = [agent_json(report, card) for card in report.team.cards
             if allowed is None or card.agent_id in allowed]
    for card in cards:
        keys = {"agent_id": card["agent_id"], "period": report.team.period.label}
        _upsert(session, Scorecard, {**keys, "template": template}, {"data": card})
        _upsert(session, CoachingPlan, keys, {"data": {"recommendations": card["recommendations"]}})
    session.commit()
    return {"period": report.team.period.label, "template": template, "agents": cards}


@router.get("/coaching-plans", summary="辅导计划：技能、培训模块与证据")
def get_plans(period: PeriodQuery, principal: PrincipalDep, session: SessionDep,
              services: ServicesDep, template: TemplateQuery = "finance") -> dict[str, Any]:
    report = period_report(session, services.policy, period=period, template=template)
    allowed = _allowed_agents(session, principal)
    plans = {card.agent_id: agent_json(report, card)["recommendations"]
             for card in report.team.cards if allowed is None or card.agent_id in allowed}
    return {"period": report.team.period.label, "plans": plans}


@router.get("/alerts", summary="预警：连续低于阈值的指标、一票否决、投诉倾向上升")
def get_alerts(period: PeriodQuery, principal: PrincipalDep, session: SessionDep,
               services: ServicesDep, template: TemplateQuery = "finance") -> dict[str, Any]:
    principal.require("admin", "qa_reviewer", "supervisor")
    report = period_report(session, services.policy, period=period, template=template)
    allowed = _allowed_agents(session, principal)
    alerts = [a for a in report.alerts
              if allowed is None or a.agent_id == "team" or a.agent_id in allowed]
    return {"period": report.team.period.label, "alerts": [asdict(a) for a in alerts]}


def _upsert(session: Session, table: Any, keys: dict[str, Any], values: dict[str, Any]) -> None:
    query = select(table)
    for name, value in keys.items():
        query = query.where(getattr(table, name) == value)
    row = session.exec(query).first()
    if row is None:
        row = table(**keys, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.add(row)
