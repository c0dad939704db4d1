"""Tickets import, scorecards, coaching plans and alerts: `api.services.coaching` behind thin
routes, each scoped to what the caller may see."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from api.http.auth import require_role
from api.http.bodies import body_up_to
from api.http.deps import PrincipalDep, RuntimeDep, SessionDep
from api.services import coaching
from api.services.manual_metrics import (
    MAX_MANUAL_BYTES,
    import_manual_metrics,
    visible_manual_values,
)
from api.services.tickets import MAX_TICKETS_BYTES, import_tickets
from models.enums import QUEUE_VIEWERS

router = APIRouter(prefix="/api", tags=["coaching"])
PeriodQuery = Annotated[str, Query(description="2026-10（月）/ 2026-W44（周）/ 2026-Q4（季度）")]
TemplateQuery = Annotated[str, Query(description="评分模板名，如 finance")]


@router.post("/tickets", summary="导入工单 CSV（坏行按行号报告并跳过；班组长只能导入本组坐席的工单）",
             openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}})
async def post_tickets(body: Annotated[bytes, body_up_to(MAX_TICKETS_BYTES)],
                       principal: PrincipalDep, runtime: RuntimeDep) -> dict[str, Any]:
    require_role(principal, QUEUE_VIEWERS)
    report = await run_in_threadpool(import_tickets, runtime, principal, body)
    return {"imported": len(report.imported),
            "skipped": len(report.errors) + len(report.rejected),
            "errors": [str(error) for error in report.errors],
            "rejected": [str(error) for error in report.rejected]}


@router.post("/manual-metrics",
             summary="导入人工录入指标 CSV：agent_id,period,metric,value[,comment]"
                     "（任一行有误则整个文件不导入；班组长只能录入本组坐席）",
             openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}})
async def post_manual_metrics(body: Annotated[bytes, body_up_to(MAX_MANUAL_BYTES)],
                              principal: PrincipalDep, runtime: RuntimeDep) -> dict[str, Any]:
    require_role(principal, QUEUE_VIEWERS)
    report = await run_in_threadpool(import_manual_metrics, runtime, principal, body)
    return {"imported": len(report.rows), "agents": report.agents}


@router.get("/manual-metrics", summary="本周期可见坐席的人工录入指标")
def get_manual_metrics(period: PeriodQuery, principal: PrincipalDep,
                       session: SessionDep) -> dict[str, Any]:
    values = visible_manual_values(session, principal, period=period)
    return {"values": [asdict(value) for value in values]}


@router.get("/scorecards", summary="评分卡：每位可见坐席的指标、得分、档位、排名、奖金")
def get_scorecards(period: PeriodQuery, principal: PrincipalDep, session: SessionDep,
                   runtime: RuntimeDep, template: TemplateQuery = "finance") -> dict[str, Any]:
    label, cards = coaching.scorecards(session, runtime.policy, principal, period=period,
                                       template=template)
    return {"period": label, "template": template, "agents": cards}


@router.post("/scorecards/snapshots", summary="保存本周期可见坐席的评分卡与辅导计划（审计）")
def save_scorecards(period: PeriodQuery, principal: PrincipalDep, session: SessionDep,
                    runtime: RuntimeDep, template: TemplateQuery = "finance") -> dict[str, Any]:
    require_role(principal, QUEUE_VIEWERS)
    label, saved = coaching.save_scorecards(session, runtime.policy, principal, period=period,
                                            template=template)
    return {"period": label, "template": template, "saved": saved}


@router.get("/coaching-plans", summary="辅导计划：技能、培训模块与证据")
def get_plans(period: PeriodQuery, principal: PrincipalDep, session: SessionDep,
              runtime: RuntimeDep, template: TemplateQuery = "finance") -> dict[str, Any]:
    label, plans = coaching.coaching_plans(session, runtime.policy, principal, period=period,
                                           template=template)
    return {"period": label, "plans": plans}


@router.get("/alerts", summary="预警：连续低于阈值的指标、一票否决、投诉倾向上升")
def get_alerts(period: PeriodQuery, principal: PrincipalDep, session: SessionDep,
               runtime: RuntimeDep, template: TemplateQuery = "finance") -> dict[str, Any]:
    require_role(principal, QUEUE_VIEWERS)
    label, alerts = coaching.alerts(session, runtime.policy, principal, period=period,
                                    template=template, rules=runtime.pipeline.rules)
    return {"period": label, "alerts": alerts}
