"""From findings to a quality verdict: score, category sub-scores, veto, needs_review.

A machine veto is a proposal. With `veto_applies: on_confirmation` (the default) it neither
zeroes the score nor deducts until a reviewer confirms a finding of that rule: the verdict
carries it in `pending_veto_rule_ids` and sends the conversation to review. With
`immediately` a solid veto zeroes the score at once (still flagged for review until confirmed).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

from inspection.types import Conversation, Finding, InspectionResult

SCORED_CATEGORIES = ("compliance", "courtesy", "process")
DEFAULT_REVIEW_CONFIDENCE = 0.6
VetoApplies = Literal["on_confirmation", "immediately"]
VETO_APPLIES_CHOICES: tuple[VetoApplies, ...] = get_args(VetoApplies)
DEFAULT_VETO_APPLIES: VetoApplies = "on_confirmation"


@dataclass(frozen=True)
class ScoringPolicy:
    """`category_caps`: the most a category can deduct. Evidence below `review_confidence`
    (ASR confidence) sends a finding to a reviewer instead of penalising the agent.
    `veto_applies`: whether a machine veto counts before a reviewer confirms it."""

    category_caps: Mapping[str, float] = field(default_factory=dict)
    review_confidence: float = DEFAULT_REVIEW_CONFIDENCE
    veto_applies: VetoApplies = DEFAULT_VETO_APPLIES


def score_findings(
    conversation: Conversation, findings: Sequence[Finding], policy: ScoringPolicy
) -> InspectionResult:
    """Quality score = 100 minus (capped) deductions; 0 when an applied veto item fired.

    Weak findings (evidence confidence below the policy's) deduct nothing and veto nothing
    until a reviewer confirms them: they only send the conversation to review. Nothing is
    confirmed yet here, so under `on_confirmation` every veto is pending."""
    return score(findings, policy, conversation_id=conversation.id,
                 agent_id=conversation.agent_id, roles_inferred=conversation.roles_inferred)


def score(findings: Sequence[Finding], policy: ScoringPolicy, *, conversation_id: str,
          agent_id: str | None = None, roles_inferred: bool = False,
          confirmed_vetoes: Collection[str] = ()) -> InspectionResult:
    """The verdict from findings alone (used again when a review or appeal changes them).

    `confirmed_vetoes`: rule ids of which a reviewer confirmed (or an appeal upheld) a veto
    finding; those apply whatever the policy."""
    weak = [f for f in findings if f.confidence < policy.review_confidence]
    solid = [f for f in findings if f.confidence >= policy.review_confidence]
    machine_vetoes = tuple(dict.fromkeys(f.rule_id for f in solid if f.veto))
    applied = tuple(rule for rule in machine_vetoes
                    if policy.veto_applies == "immediately" or rule in confirmed_vetoes)
    pending = tuple(rule for rule in machine_vetoes if rule not in applied)
    counted = [f for f in solid if not (f.veto and f.rule_id in pending)]
    by_category = _deductions_by_category(counted, policy.category_caps)
    deductions = sum(by_category.values())
    total = 0.0 if applied else max(0.0, 100.0 - deductions)
    unconfirmed = [rule for rule in machine_vetoes if rule not in confirmed_vetoes]
    reasons = _review_reasons(roles_inferred, findings, weak, unconfirmed)
    return InspectionResult(
        conversation_id=conversation_id,
        agent_id=agent_id,
        score=round(total, 2),
        deductions=round(deductions, 2),
        veto=bool(applied),
        veto_rule_ids=applied,
        needs_review=bool(reasons),
        review_reasons=reasons,
        category_scores={c: round(max(0.0, 100.0 - by_category.get(c, 0.0)), 2)
                         for c in SCORED_CATEGORIES},
        findings=tuple(findings),
        pending_veto_rule_ids=pending,
    )


def _deductions_by_category(findings: Sequence[Finding], caps: Mapping[str, float]
                            ) -> dict[str, float]:
    totals: dict[str, float] = {}
    for finding in findings:
        totals[finding.category] = totals.get(finding.category, 0.0) + finding.deduction
    return {c: min(total, caps.get(c, total)) for c, total in totals.items()}


def _review_reasons(roles_inferred: bool, findings: Sequence[Finding],
                    weak: Sequence[Finding], unconfirmed_vetoes: Sequence[str]
                    ) -> tuple[str, ...]:
    reasons = [f"一票否决项需人工确认: {rule_id}" for rule_id in unconfirmed_vetoes]
    reasons += [f"证据识别置信度低 ({f.confidence:.2f}): {f.rule_id}"
                for f in weak if f.deduction > 0 or f.veto]
    if roles_inferred and any(f.deduction > 0 or f.veto for f in findings):
        reasons.append("单声道录音，坐席/客户角色为推断所得")
    return tuple(dict.fromkeys(reasons))
