"""Rule packs: list the loaded rules, validate a pack, precision per rule."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from api.deps import PrincipalDep, ServicesDep, SessionDep
from api.schemas import RulePublic, RuleStat, RuleValidation
from api.services import Services
from inspection.engine.examples import run_examples
from inspection.engine.loader import load_rule_files
from inspection.errors import InvalidInputError, RuleConfigError
from models import session_scope
from models.queries import append_audit, rule_outcomes

router = APIRouter(prefix="/api/rules", tags=["rules"])
MAX_PACK_BYTES = 1024 * 1024


@router.get("", response_model=list[RulePublic], summary="已加载的规则")
def list_rules(principal: PrincipalDep, services: ServicesDep) -> list[RulePublic]:
    return [
        RulePublic(
            id=rule.id, version=rule.header.version, name=rule.header.name,
            description=rule.header.description, category=rule.header.category,
            severity=rule.header.severity, deduction=rule.header.deduction,
            veto=rule.header.veto, type=rule.condition.type, coaching=rule.header.coaching,
            source=Path(rule.source).name,
            examples=rule.header.examples.model_dump(mode="json"),
        )
        for rule in services.rules.rules
    ]


@router.post("/validate", response_model=RuleValidation,
             summary="校验一个规则包（YAML 请求体）并运行其示例")
async def validate_pack(request: Request, principal: PrincipalDep, services: ServicesDep
                        ) -> RuleValidation:
    principal.require("admin", "qa_reviewer")
    body = await request.body()
    if not body.strip():
        raise InvalidInputError("request body", "请求体为空：请发送 YAML 规则包")
    if len(body) > MAX_PACK_BYTES:
        raise InvalidInputError("request body", f"规则包超过 {MAX_PACK_BYTES} 字节")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pack.yaml"
        path.write_bytes(body)
        try:
            rules = load_rule_files([path])
        except RuleConfigError as exc:
            return RuleValidation(valid=False, detail=str(exc).replace(str(path), "pack.yaml"))
    failed = [o for o in run_examples(rules) if not o.passed]
    after = {"rules": len(rules.rules), "failed_examples": len(failed)}
    await run_in_threadpool(_audit_validation, services, principal.actor, rules.packs, after)
    detail = "; ".join(f"{o.rule_id}: {o.example}" for o in failed[:10]) or None
    return RuleValidation(valid=not failed, rules=len(rules.rules), detail=detail)


def _audit_validation(services: Services, actor: str, packs: tuple[str, ...],
                      after: dict[str, int]) -> None:
    with session_scope(services.engine) as session:
        append_audit(session, actor=actor, action="rules.validated", entity="rule_pack",
                     entity_id=",".join(packs), before=None, after=dict(after))


@router.get("/stats", response_model=list[RuleStat], summary="各规则的复核/申诉结果与精确率")
def rule_stats(principal: PrincipalDep, session: SessionDep) -> list[RuleStat]:
    principal.require("admin", "qa_reviewer", "supervisor")
    stats = []
    for row in rule_outcomes(session):
        right = row["confirmed"] + row["appeals_upheld"]
        decided = right + row["overturned"] + row["appeals_overturned"]
        stats.append(RuleStat(**row, precision=round(right / decided, 4) if decided else None))
    return stats
