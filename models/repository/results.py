"""Inspection results in rows: store a job's result, and score again from the stored findings
after a review or an appeal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from inspection import types as core
from inspection.scoring import ScoringPolicy, score
from models.conversations import Conversation, Finding
from models.enums import AppealState, ReviewState
from models.queries import append_audit, findings_of, replace_results


def store_result(session: Session, row: Conversation, *, conversation: core.Conversation,
                 result: core.InspectionResult,
                 sentiments: Sequence[core.SentimentResult | None] | None,
                 has_results: bool, ruleset_version: int | None = None) -> None:
    """Replace the conversation's utterances and findings with this inspection's and put its
    verdict on `row` (`has_results` False: there are none to remove). A turn without a
    sentiment result (not analysed) is stored without one. `ruleset_version`: the published
    rule-pack version that produced the findings (kept on each finding and on the row)."""
    results = sentiments or [None] * len(conversation.utterances)
    utterances = [
        {"index": i, "role": u.role, "start": u.start, "end": u.end, "text": u.text,
         "confidence": u.confidence,
         "sentiment_label": sentiment.label if sentiment else None,
         "sentiment_score": sentiment.score if sentiment else None}
        for i, (u, sentiment) in enumerate(zip(conversation.utterances, results, strict=True))
    ]
    findings = [{**finding_row_values(f), "ruleset_version": ruleset_version}
                for f in result.findings]
    _apply_verdict(row, result)
    row.ruleset_version = ruleset_version
    row.roles_inferred = conversation.roles_inferred
    replace_results(session, conversation_id=row.id, utterances=utterances, findings=findings,
                    has_results=has_results)


def finding_row_values(finding: core.Finding) -> dict[str, Any]:
    """A core finding as `Finding` column values (its review and appeal states aside)."""
    evidence = finding.evidence
    return {
        "rule_id": finding.rule_id, "rule_version": finding.rule_version,
        "rule_name": finding.rule_name, "category": finding.category,
        "severity": finding.severity, "deduction": finding.deduction, "veto": finding.veto,
        "explanation": finding.explanation, "coaching": finding.coaching,
        "utterance_index": evidence.utterance_index if evidence else None,
        "role": evidence.role if evidence else None,
        "start": evidence.start if evidence else None,
        "end": evidence.end if evidence else None,
        "evidence_text": evidence.text if evidence else None,
        "confidence": finding.confidence,
    }


def _apply_verdict(row: Conversation, result: core.InspectionResult) -> None:
    row.score = result.score
    row.deductions = result.deductions
    row.veto = result.veto
    row.veto_pending = bool(result.pending_veto_rule_ids)
    row.needs_review = result.needs_review
    row.review_reasons = list(result.review_reasons)
    row.category_scores = dict(result.category_scores)


def verdict(row: Conversation) -> dict[str, Any]:
    """What the audit log records of a verdict."""
    return {"score": row.score, "veto": row.veto, "veto_pending": row.veto_pending,
            "needs_review": row.needs_review}


def finding_to_core(finding: Finding) -> core.Finding:
    """A stored finding as the scorer sees it; a reviewer-confirmed one is no longer weak."""
    evidence = None
    if finding.utterance_index is not None and finding.role is not None:
        confirmed = is_confirmed(finding)
        evidence = core.Evidence(
            utterance_index=finding.utterance_index, role=finding.role,  # type: ignore[arg-type]
            start=finding.start or 0.0, end=finding.end or 0.0,
            text=finding.evidence_text or "",
            confidence=1.0 if confirmed else finding.confidence)
    return core.Finding(
        rule_id=finding.rule_id, rule_version=finding.rule_version, rule_name=finding.rule_name,
        category=finding.category, severity=finding.severity,  # type: ignore[arg-type]
        deduction=finding.deduction, veto=finding.veto, explanation=finding.explanation,
        evidence=evidence, coaching=finding.coaching)


def current_result(row: Conversation, stored: Sequence[Finding], policy: ScoringPolicy
                   ) -> core.InspectionResult:
    """The verdict from the stored findings that still count (reviews and appeals applied); a
    veto applies under `on_confirmation` once a finding of its rule is confirmed or its appeal
    upheld."""
    counting = [f for f in stored if f.counts]
    confirmed = {f.rule_id for f in counting if f.veto and is_confirmed(f)}
    return score([finding_to_core(f) for f in counting], policy, conversation_id=row.id,
                 agent_id=row.agent_id, roles_inferred=row.roles_inferred,
                 confirmed_vetoes=confirmed)


def is_confirmed(finding: Finding) -> bool:
    """A reviewer confirmed the finding, or upheld it on appeal."""
    return (finding.review_state == ReviewState.CONFIRMED
            or finding.appeal_state == AppealState.UPHELD)


def rescore(session: Session, row: Conversation, policy: ScoringPolicy, *, actor: str,
            reason: str) -> None:
    """Score again from the findings that still count; audit the change. The conversation
    leaves the review queue once no counting finding awaits a reviewer."""
    before = verdict(row)
    stored = findings_of(session, conversation_id=row.id)
    _apply_verdict(row, current_result(row, stored, policy))
    pending = [f for f in stored if f.counts and f.review_state == ReviewState.PENDING
               and not is_confirmed(f)
               and (f.veto or f.confidence < policy.review_confidence or row.roles_inferred)]
    if not pending:
        row.needs_review = False
        row.review_reasons = []
    session.add(row)
    append_audit(session, actor=actor, action="conversation.rescored", entity="conversation",
                 entity_id=row.id, before={**before, "reason": reason}, after=verdict(row))
