"""Reviews, appeals and the review queue. Every decision re-scores and is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import Session

from api.auth import REVIEWER_ROLES, Principal
from api.deps import PrincipalDep, ServicesDep, SessionDep
from api.routes.conversations import summary
from api.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealPublic,
    ConversationSummary,
    RecordId,
    ReviewIn,
)
from api.storage import rescore
from inspection.errors import ConflictError, NotFoundError
from models import Appeal, Conversation, Finding, Review
from models.people import utc_now
from models.queries import append_audit, open_appeal_for, review_queue

router = APIRouter(prefix="/api", tags=["review"])


def _visible_finding(session: Session, principal: Principal, finding_id: int
                     ) -> tuple[Finding, Conversation]:
    finding = session.get(Finding, finding_id)
    conversation = session.get(Conversation, finding.conversation_id) if finding else None
    if finding is None or conversation is None or not principal.can_see(conversation):
        raise NotFoundError(f"质检结果 {finding_id} 不存在")
    return finding, conversation


@router.post("/findings/{finding_id}/review", response_model=ConversationSummary,
             summary="复核：确认或推翻一条质检结果（重新计分）")
def review_finding(finding_id: RecordId, body: ReviewIn, principal: PrincipalDep,
                   session: SessionDep, services: ServicesDep) -> ConversationSummary:
    principal.require(*REVIEWER_ROLES)
    finding, conversation = _visible_finding(session, principal, finding_id)
    before = finding.review_state
    finding.review_state = "confirmed" if body.decision == "confirm" else "overturned"
    session.add(finding)
    session.add(Review(finding_id=finding_id, rule_id=finding.rule_id,
                       reviewer_id=principal.user_id, decision=body.decision,
                       comment=body.comment))
    append_audit(session, actor=principal.actor, action="finding.reviewed", entity="finding",
                 entity_id=str(finding_id), before={"review_state": before},
                 after={"review_state": finding.review_state, "comment": body.comment})
    rescore(session, conversation, services.policy, actor=principal.actor,
            reason=f"review {body.decision} finding {finding_id}")
    session.commit()
    return summary(conversation)


@router.post("/findings/{finding_id}/appeals", response_model=AppealPublic, status_code=201,
             summary="申诉：坐席对自己会话中的一条质检结果提出申诉")
def appeal_finding(finding_id: RecordId, body: AppealIn, principal: PrincipalDep,
                   session: SessionDep) -> AppealPublic:
    principal.require("agent")
    finding, _ = _visible_finding(session, principal, finding_id)
    if open_appeal_for(session, finding_id=finding_id) is not None:
        raise ConflictError(f"质检结果 {finding_id} 已申诉过，不能重复申诉")
    appeal = Appeal(finding_id=finding_id, rule_id=finding.rule_id,
                    agent_user_id=principal.user_id, reason=body.reason)
    finding.appeal_state = "open"
    session.add_all([appeal, finding])
    session.flush()
    append_audit(session, actor=principal.actor, action="appeal.opened", entity="finding",
                 entity_id=str(finding_id), before=None, after={"reason": body.reason})
    session.commit()
    return AppealPublic.model_validate(appeal, from_attributes=True)


@router.post("/appeals/{appeal_id}/decision", response_model=AppealPublic,
             summary="裁决申诉：维持（uphold）或推翻（overturn）原质检结果")
def decide_appeal(appeal_id: RecordId, body: AppealDecisionIn, principal: PrincipalDep,
                  session: SessionDep, services: ServicesDep) -> AppealPublic:
    principal.require(*REVIEWER_ROLES)
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFoundError(f"申诉 {appeal_id} 不存在")
    if appeal.state != "open":
        raise ConflictError(f"申诉 {appeal_id} 已裁决（{appeal.state}）")
    finding, conversation = _visible_finding(session, principal, appeal.finding_id)
    appeal.state = "upheld" if body.decision == "uphold" else "overturned"
    appeal.decided_by, appeal.decision_comment = principal.user_id, body.comment
    appeal.decided_at = utc_now()
    finding.appeal_state = appeal.state
    session.add_all([appeal, finding])
    append_audit(session, actor=principal.actor, action="appeal.decided", entity="appeal",
                 entity_id=str(appeal_id), before={"state": "open"},
                 after={"state": appeal.state, "comment": body.comment})
    rescore(session, conversation, services.policy, actor=principal.actor,
            reason=f"appeal {appeal.state} finding {finding.id}")
    session.commit()
    return AppealPublic.model_validate(appeal, from_attributes=True)


@router.get("/review-queue", response_model=list[ConversationSummary],
            summary="待复核队列：一票否决在前，其次需复核，低分在前")
def get_review_queue(principal: PrincipalDep, session: SessionDep,
                     limit: Annotated[int, Query(ge=1, le=500)] = 50
                     ) -> list[ConversationSummary]:
    principal.require("admin", "qa_reviewer", "supervisor")
    rows = review_queue(session, filters=principal.visibility(), limit=limit)
    return [summary(row) for row in rows]
