"""Reviews, appeals and the review queue. Every decision re-scores and is audited
(`api.services.reviews`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.http.auth import require_role
from api.http.deps import PrincipalDep, RuntimeDep, SessionDep
from api.http.schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealPublic,
    ConversationSummary,
    RecordId,
    ReviewIn,
)
from api.services import reviews
from models.enums import APPELLANTS, QUEUE_VIEWERS, REVIEWERS
from models.queries import review_queue

router = APIRouter(prefix="/api", tags=["review"])


@router.post("/findings/{finding_id}/review", response_model=ConversationSummary,
             summary="复核：确认或推翻一条质检结果（重新计分）")
def review_finding(finding_id: RecordId, body: ReviewIn, principal: PrincipalDep,
                session: SessionDep, runtime: RuntimeDep) -> ConversationSummary:
    require_role(principal, REVIEWERS)
    conversation = reviews.review_finding(session, runtime.policy, principal, finding_id=finding_id,
                                  decision=body.decision, comment=body.comment)
    return ConversationSummary.of(conversation)


@router.post("/findings/{finding_id}/appeals", response_model=AppealPublic, status_code=201,
             summary="申诉：坐席对自己会话中的一条质检结果提出申诉")
def appeal_finding(finding_id: RecordId, body: AppealIn, principal: PrincipalDep,
                session: SessionDep) -> AppealPublic:
    require_role(principal, APPELLANTS)
    appeal = reviews.open_appeal(session, principal, finding_id=finding_id, reason=body.reason)
    return AppealPublic.model_validate(appeal, from_attributes=True)


@router.post("/appeals/{appeal_id}/decision", response_model=AppealPublic,
             summary="裁决申诉：维持（uphold）或推翻（overturn）原质检结果")
def decide_appeal(appeal_id: RecordId, body: AppealDecisionIn, principal: PrincipalDep,
                  session: SessionDep, runtime: RuntimeDep) -> AppealPublic:
    require_role(principal, REVIEWERS)
    appeal = reviews.decide_appeal(session, runtime.policy, principal, appeal_id=appeal_id,
                                   decision=body.decision, comment=body.comment)
    return AppealPublic.model_validate(appeal, from_attributes=True)


@router.get("/review-queue", response_model=list[ConversationSummary],
            summary="待复核队列：一票否决在前，其次需复核，低分在前")
def get_review_queue(principal: PrincipalDep, session: SessionDep,
                     limit: Annotated[int, Query(ge=1, le=500)] = 50
                     ) -> list[ConversationSummary]:
    require_role(principal, QUEUE_VIEWERS)
    rows = review_queue(session, filters=principal.visibility(), limit=limit)
    return [ConversationSummary.of(row) for row in rows]
