"""Quality score: 100 minus deductions, category caps, vetoes, and when a reviewer must look."""

from __future__ import annotations

from typing import Any

import pytest

from inspection.scoring import ScoringPolicy, VetoApplies, score, score_findings
from inspection.types import Category, Conversation, Evidence, Finding


def finding(rule_id: str = "svc.x", *, category: Category = "courtesy", deduction: float = 5,
            veto: bool = False, confidence: float | None = 1.0) -> Finding:
    evidence = None if confidence is None else Evidence(
        utterance_index=0, role="agent", start=0.0, end=1.0, text="x", confidence=confidence)
    return Finding(rule_id=rule_id, rule_version=1, rule_name="测试", category=category,
                   severity="major", deduction=deduction, veto=veto, explanation="测试",
                   evidence=evidence)


def conversation(roles_inferred: bool = False) -> Conversation:
    return Conversation.model_validate({
        "id": "c-1", "agent_id": "A017", "roles_inferred": roles_inferred,
        "utterances": [{"role": "agent", "text": "您好"}],
    })


def verdict(findings: list[Finding], caps: dict[str, float] | None = None,
            roles_inferred: bool = False, veto_applies: VetoApplies = "on_confirmation") -> Any:
    policy = ScoringPolicy(caps or {}, veto_applies=veto_applies)
    return score_findings(conversation(roles_inferred), findings, policy)


@pytest.mark.parametrize(("findings", "caps", "score", "categories"), [
    pytest.param([], None, 100, {"compliance": 100, "courtesy": 100, "process": 100},
                 id="clean"),
    pytest.param([finding(deduction=5), finding(category="process", deduction=10)], None, 85,
                 {"compliance": 100, "courtesy": 95, "process": 90}, id="sum"),
    pytest.param([finding(deduction=20)] * 3, {"courtesy": 40}, 60,
                 {"compliance": 100, "courtesy": 60, "process": 100}, id="category-cap"),
    pytest.param([finding(deduction=20)] * 3 + [finding(category="process", deduction=10)],
                 {"courtesy": 40}, 50, {"compliance": 100, "courtesy": 60, "process": 90},
                 id="cap-one-category-only"),
    pytest.param([finding(category="compliance", deduction=60)] * 2, None, 0,
                 {"compliance": 0, "courtesy": 100, "process": 100}, id="floor-at-zero"),
    pytest.param([finding(category="risk", deduction=0, confidence=None)], None, 100,
                 {"compliance": 100, "courtesy": 100, "process": 100}, id="risk-tag-free"),
    pytest.param([finding(confidence=None, deduction=5)], None, 95,
                 {"compliance": 100, "courtesy": 95, "process": 100},
                 id="whole-call-finding-counts"),
])
def test_score(findings: list[Finding], caps: dict[str, float] | None, score: float,
               categories: dict[str, float]) -> None:
    result = verdict(findings, caps)
    assert result.score == score
    assert result.category_scores == categories
    assert not result.veto and not result.needs_review


def test_veto_scores_zero_and_needs_review() -> None:
    vetoes = [finding("fin.guaranteed_return", category="compliance", deduction=100, veto=True),
              finding("svc.abusive_language", deduction=100, veto=True),
              finding("fin.guaranteed_return", category="compliance", deduction=100, veto=True)]
    result = verdict([finding(deduction=5), *vetoes], veto_applies="immediately")
    assert result.score == 0 and result.veto
    assert result.veto_rule_ids == ("fin.guaranteed_return", "svc.abusive_language")
    assert result.needs_review
    assert any("fin.guaranteed_return" in reason for reason in result.review_reasons)


def test_veto_with_zero_deduction_still_vetoes() -> None:
    result = verdict([finding("fin.x", category="compliance", deduction=0, veto=True)],
                     veto_applies="immediately")
    assert result.score == 0 and result.veto_rule_ids == ("fin.x",)


def test_weak_evidence_on_a_veto_goes_to_review_without_veto() -> None:
    weak = finding("fin.guaranteed_return", category="compliance", deduction=100, veto=True,
                   confidence=0.45)
    result = verdict([weak])
    assert not result.veto and result.veto_rule_ids == ()
    assert result.needs_review
    assert any("0.45" in r and "fin.guaranteed_return" in r for r in result.review_reasons)
    assert result.score == 100  # nothing is deducted before a reviewer confirms it
    assert result.findings == (weak,)


def test_weak_evidence_on_a_deduction_goes_to_review_without_deduction() -> None:
    result = verdict([finding(deduction=10, confidence=0.3), finding(deduction=5)])
    assert result.needs_review and result.score == 95


def test_confidence_at_threshold_is_solid() -> None:
    result = verdict([finding("fin.x", category="compliance", veto=True, confidence=0.6)],
                     veto_applies="immediately")
    assert result.veto


def test_weak_risk_tag_needs_no_review() -> None:
    assert not verdict([finding(category="risk", deduction=0, confidence=0.2)]).needs_review


@pytest.mark.parametrize(("findings", "needs_review"), [
    pytest.param([finding(deduction=5)], True, id="with-deduction"),
    pytest.param([finding(category="risk", deduction=0)], False, id="risk-tag-only"),
    pytest.param([], False, id="no-findings"),
])
def test_inferred_roles_need_review(findings: list[Finding], needs_review: bool) -> None:
    result = verdict(findings, roles_inferred=True)
    assert result.needs_review is needs_review
    if needs_review:
        assert any("推断" in reason for reason in result.review_reasons)


def test_result_identifies_conversation_and_agent() -> None:
    result = verdict([])
    assert (result.conversation_id, result.agent_id) == ("c-1", "A017")


def test_a_machine_veto_is_pending_until_a_reviewer_confirms_it() -> None:
    veto = finding("fin.guaranteed_return", category="compliance", deduction=100, veto=True)
    result = verdict([finding(deduction=5), veto])  # the default policy: on_confirmation
    assert (result.score, result.veto, result.veto_rule_ids) == (95, False, ())
    assert result.pending_veto_rule_ids == ("fin.guaranteed_return",)
    assert result.category_scores["compliance"] == 100  # nor does it deduct
    assert result.needs_review and "一票否决项需人工确认: fin.guaranteed_return" in result.review_reasons


def test_a_confirmed_veto_applies_and_leaves_the_others_pending() -> None:
    findings = [finding("fin.guaranteed_return", category="compliance", deduction=100, veto=True),
                finding("svc.abusive_language", deduction=100, veto=True)]
    result = score(findings, ScoringPolicy(), conversation_id="c-1",
                   confirmed_vetoes={"fin.guaranteed_return"})
    assert (result.score, result.veto_rule_ids) == (0, ("fin.guaranteed_return",))
    assert result.pending_veto_rule_ids == ("svc.abusive_language",)
    assert result.review_reasons == ("一票否决项需人工确认: svc.abusive_language",)


def test_a_confirmed_veto_needs_no_more_review_under_either_policy() -> None:
    veto = finding("fin.x", category="compliance", veto=True)
    for policy in (ScoringPolicy(), ScoringPolicy(veto_applies="immediately")):
        result = score([veto], policy, conversation_id="c-1", confirmed_vetoes={"fin.x"})
        assert (result.score, result.veto, result.needs_review) == (0, True, False)
