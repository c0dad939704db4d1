"""Tickets import, scorecards, coaching plans and alerts: `api.services.coaching` behind thin
routes, each scoped to what the caller may see."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from api.http.auth import require_role
from api.http.deps import PrincipalDep, RuntimeDep, SessionDep
from api.services import coaching
from api.services.tickets import import_tickets
from models.enums import QUEUE_VIEWERS

router = APIRouter(prefix="/api", tags=["coaching"])
PeriodQuery = Annotated[str, Query(description="2026-10（月）/ 2026-W44（周）/ 2026-Q4（季度）")]
TemplateQuery = Annotated[str, Query(description="评分模板名，如 finance")]


@router.post("/tickets", summary="导入工单 CSV（坏行按行号报告并跳过）")
async def post_tickets(request: Request, principal: PrincipalDep, runtime: RuntimeDep
                       ) -> dict[str, Any]:
    require_role(principal, QUEUE_VIEWERS)
    result = await run_in_threadpool(import_tickets, runtime, await request.body())
    return {"imported": len(result.tickets), "skipped": len(result.errors),
            "errors": [str(error) for error in result.errors]}


@router.get("/scorecards", summary="评分卡：每位可见坐席的指标、得分、档位、排名、奖金")
def get_scorecards(period: PeriodQuery, principal: PrincipalDep, session: SessionDep,
                   runtime: RuntimeDep, template: TemplateQuery = "finance") -> dict[str, Any]:
    label, cards = coaching.scorecards(session, runtime.policy, principal, period=period,
                                       template=template)
    return {"period": label, "template": template, "agents": cards}


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
                                    template=template)
    return {"period": label, "alerts": alerts}
