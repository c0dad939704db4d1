"""From findings to a quality verdict: score, category sub-scores, veto, needs_review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from inspection.types import Conversation, Finding, InspectionResult

SCORED_CATEGORIES = ("compliance", "courtesy", "process")
DEFAULT_REVIEW_CONFIDENCE = 0.6


@dataclass(frozen=True)
class ScoringPolicy:
    """`category_caps`: the most a category can deduct. Evidence below `review_confidence`
    (ASR confidence) sends a finding to a reviewer instead of penalising the agent."""

    category_caps: Mapping[str, float] = field(default_factory=dict)
    review_confidence: float = DEFAULT_REVIEW_CONFIDENCE


def score_findings(
    conversation: Conversation, findings: Sequence[Finding], policy: ScoringPolicy
) -> InspectionResult:
    """Quality score = 100 minus (capped) deductions; 0 when a confirmed veto item fired.

    Weak findings (evidence confidence below the policy's) deduct nothing and veto nothing
    until a reviewer confirms them: they only send the conversation to review."""
    return score(findings, policy, conversation_id=conversation.id,
                 agent_id=conversation.agent_id, roles_inferred=conversation.roles_inferred)


def score(findings: Sequence[Finding], policy: ScoringPolicy, *, conversation_id: str,
          agent_id: str | None = None, roles_inferred: bool = False) -> InspectionResult:
    """The verdict from findings alone (used again when a review or appeal changes them)."""
    weak = [f for f in findings if f.confidence < policy.review_confidence]
    solid = [f for f in findings if f.confidence >= policy.review_confidence]
    solid_vetoes = [f for f in solid if f.veto]
    by_category = _deductions_by_category(solid, policy.category_caps)
    deductions = sum(by_category.values())
    veto_rule_ids = tuple(dict.fromkeys(f.rule_id for f in solid_vetoes))
    total = 0.0 if veto_rule_ids else max(0.0, 100.0 - deductions)
    reasons = _review_reasons(roles_inferred, findings, weak, veto_rule_ids)
    return InspectionResult(
        conversation_id=conversation_id,
        agent_id=agent_id,
        score=round(total, 2),
        deductions=round(deductions, 2),
        veto=bool(veto_rule_ids),
        veto_rule_ids=veto_rule_ids,
        needs_review=bool(reasons),
        review_reasons=reasons,
        category_scores={c: round(max(0.0, 100.0 - by_category.get(c, 0.0)), 2)
                         for c in SCORED_CATEGORIES},
        findings=tuple(findings),
    )


def _deductions_by_category(findings: Sequence[Finding], caps: Mapping[str, float]
                            ) -> dict[str, float]:
    totals: dict[str, float] = {}
    for finding in findings:
        totals[finding.category] = totals.get(finding.category, 0.0) + finding.deduction
    return {c: min(total, caps.get(c, total)) for c, total in totals.items()}


def _review_reasons(roles_inferred: bool, findings: Sequence[Finding],
                    weak: Sequence[Finding], veto_rule_ids: Sequence[str]) -> tuple[str, ...]:
    reasons = [f"一票否决项需人工确认: {rule_id}" for rule_id in veto_rule_ids]
    reasons += [f"证据识别置信度低 ({f.confidence:.2f}): {f.rule_id}"
                for f in weak if f.deduction > 0 or f.veto]
    if roles_inferred and any(f.deduction > 0 or f.veto for f in findings):
        reasons.append("单声道录音，坐席/客户角色为推断所得")
    return tuple(dict.fromkeys(reasons))
