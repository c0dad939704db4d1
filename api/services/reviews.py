"""Reviewers' decisions on findings and agents' appeals. Every decision is recorded, audited,
re-scores the conversation and is committed before the function returns."""

from __future__ import annotations

from typing import Literal

from sqlmodel import Session

from api.services.access import Principal
from inspection.redaction import redact_text
from inspection.scoring import ScoringPolicy
from models import Appeal, Conversation, Finding, Review
from models.enums import AppealState, ReviewState
from models.errors import ConflictError, NotFoundError
from models.people import utc_now
from models.queries import append_audit, open_appeal_for
from models.repository import rescore

ReviewDecision = Literal["confirm", "overturn"]
AppealDecision = Literal["uphold", "overturn"]


def visible_finding(session: Session, principal: Principal, finding_id: int
                    ) -> tuple[Finding, Conversation]:
    """The finding and its conversation; `NotFoundError` also when the caller may not see it."""
    finding = session.get(Finding, finding_id)
    conversation = session.get(Conversation, finding.conversation_id) if finding else None
    if finding is None or conversation is None or not principal.can_see(conversation):
        raise NotFoundError(f"质检结果 {finding_id} 不存在")
    return finding, conversation


def review_finding(session: Session, policy: ScoringPolicy, principal: Principal, *,
                   finding_id: int, decision: ReviewDecision, comment: str) -> Conversation:
    """Confirm or overturn a finding; returns its conversation, re-scored. The comment is
    stored redacted."""
    comment = redact_text(comment)[0]
    finding, conversation = visible_finding(session, principal, finding_id)
    before = finding.review_state
    finding.review_state = (ReviewState.CONFIRMED if decision == "confirm"
                            else ReviewState.OVERTURNED)
    session.add(finding)
    session.add(Review(finding_id=finding_id, rule_id=finding.rule_id,
                       reviewer_id=principal.user_id, decision=decision, comment=comment))
    append_audit(session, actor=principal.actor, action="finding.reviewed", entity="finding",
                 entity_id=str(finding_id), before={"review_state": before},
                 after={"review_state": finding.review_state, "comment": comment})
    rescore(session, conversation, policy, actor=principal.actor,
            reason=f"review {decision} finding {finding_id}")
    session.commit()
    return conversation


def open_appeal(session: Session, principal: Principal, *, finding_id: int, reason: str
                ) -> Appeal:
    """An agent's appeal of a finding on their own conversation; once per finding. The reason
    is stored redacted."""
    reason = redact_text(reason)[0]
    finding, _ = visible_finding(session, principal, finding_id)
    if open_appeal_for(session, finding_id=finding_id) is not None:
        raise ConflictError(f"质检结果 {finding_id} 已申诉过，不能重复申诉")
    appeal = Appeal(finding_id=finding_id, rule_id=finding.rule_id,
                    agent_user_id=principal.user_id, reason=reason)
    finding.appeal_state = AppealState.OPEN
    session.add_all([appeal, finding])
    session.flush()
    append_audit(session, actor=principal.actor, action="appeal.opened", entity="finding",
                 entity_id=str(finding_id), before=None, after={"reason": reason})
    session.commit()
    return appeal


def decide_appeal(session: Session, policy: ScoringPolicy, principal: Principal, *,
                  appeal_id: int, decision: AppealDecision, comment: str) -> Appeal:
    """Uphold or overturn the appealed finding (once); re-scores its conversation. The comment
    is stored redacted."""
    comment = redact_text(comment)[0]
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFoundError(f"申诉 {appeal_id} 不存在")
    if appeal.state != AppealState.OPEN:
        raise ConflictError(f"申诉 {appeal_id} 已裁决（{appeal.state}）")
    finding, conversation = visible_finding(session, principal, appeal.finding_id)
    appeal.state = AppealState.UPHELD if decision == "uphold" else AppealState.OVERTURNED
    appeal.decided_by, appeal.decision_comment = principal.user_id, comment
    appeal.decided_at = utc_now()
    finding.appeal_state = appeal.state
    session.add_all([appeal, finding])
    append_audit(session, actor=principal.actor, action="appeal.decided", entity="appeal",
                 entity_id=str(appeal_id), before={"state": AppealState.OPEN},
                 after={"state": appeal.state, "comment": comment})
    rescore(session, conversation, policy, actor=principal.actor,
            reason=f"appeal {appeal.state} finding {finding.id}")
    session.commit()
    return appeal
