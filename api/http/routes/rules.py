"""Rule packs: list the loaded rules, validate a pack, precision per rule."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.http.auth import require_role
from api.http.bodies import body_up_to
from api.http.deps import PrincipalDep, RuntimeDep, SessionDep
from api.http.schemas import RulePublic, RuleStat, RuleValidation
from api.services.rules import MAX_PACK_BYTES, check_pack, rule_summaries
from api.services.rules import rule_stats as stored_rule_stats
from models.enums import QUEUE_VIEWERS, REVIEWERS

router = APIRouter(prefix="/api/rules", tags=["rules"])


@router.get("", response_model=list[RulePublic], summary="已加载的规则")
def list_rules(principal: PrincipalDep, runtime: RuntimeDep) -> list[RulePublic]:
    return [RulePublic(**rule) for rule in rule_summaries(runtime.pipeline.rules)]


@router.post("/validate", response_model=RuleValidation,
             summary="校验一个规则包（YAML 请求体）并运行其示例")
async def validate_pack(body: Annotated[bytes, body_up_to(MAX_PACK_BYTES)],
                        principal: PrincipalDep, runtime: RuntimeDep) -> RuleValidation:
    require_role(principal, REVIEWERS)
    checked = await run_in_threadpool(check_pack, runtime, actor=principal.actor, body=body)
    return RuleValidation.model_validate(checked, from_attributes=True)


@router.get("/stats", response_model=list[RuleStat], summary="各规则的复核/申诉结果与精确率")
def rule_stats(principal: PrincipalDep, session: SessionDep) -> list[RuleStat]:
    require_role(principal, QUEUE_VIEWERS)
    return [RuleStat(**row) for row in stored_rule_stats(session)]
