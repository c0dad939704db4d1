"""Builders for hand-made tickets, conversations and inspection results (no inspection run)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from coaching.tickets import Ticket
from inspection.types import Conversation, Evidence, Finding, InspectionResult, Utterance

SEVERITY_DEDUCTION = {"info": 0.0, "minor": 2.0, "major": 5.0, "critical": 10.0}
RULE_META: dict[str, tuple[str, str, str, bool]] = {
    # rule id: (category, severity, coaching tag, veto)
    "fin.recording_notice": ("compliance", "major", "compliance_script", False),
    "fin.risk_disclosure": ("compliance", "major", "risk_disclosure", False),
    "fin.guaranteed_return": ("compliance", "critical", "compliance_redline", True),
    "fin.sensitive_info_request": ("compliance", "critical", "compliance_redline", True),
    "svc.greeting": ("courtesy", "minor", "service_language", False),
    "svc.impatience": ("courtesy", "minor", "emotion_handling", False),
    "svc.hold_etiquette": ("process", "minor", "hold_etiquette", False),
    "risk.complaint_intent": ("risk", "info", "complaint_handling", False),
}


def at(text: str) -> datetime:
    """`2026-10-05 10:00` → aware datetime in +08:00 (or any ISO text with offset)."""
    moment = datetime.fromisoformat(text.replace(" ", "T"))
    return moment if moment.tzinfo else datetime.fromisoformat(text.replace(" ", "T") + "+08:00")


def ticket(ticket_id: str, agent: str = "A017", opened: str = "2026-10-05 10:00", **kw: Any) -> Ticket:
    data: dict[str, Any] = {
        "ticket_id": ticket_id,
        "agent_id": agent,
        "customer_id": kw.pop("customer", f"C-{ticket_id}"),
        "issue_key": kw.pop("issue", "bill"),
        "channel": kw.pop("channel", "voice"),
        "opened_at": at(opened),
    }
    for name in ("first_response_at", "resolved_at"):
        if name in kw:
            data[name] = at(kw.pop(name))
    data.update(kw)
    return Ticket(**data)


def finding(rule_id: str, utterance: int = 1, text: str = "……", start: float = 5.0) -> Finding:
    category, severity, tag, veto = RULE_META[rule_id]
    return Finding(
        rule_id=rule_id,
        rule_version=1,
        rule_name=rule_id,
        category=category,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        deduction=SEVERITY_DEDUCTION[severity],
        veto=veto,
        explanation=f"{rule_id} fired",
        evidence=Evidence(utterance, "agent", start, start + 3.0, text),
        coaching=tag,
    )


def inspected(
    conv_id: str,
    agent: str = "A017",
    started: str | None = "2026-10-05 10:00",
    findings: tuple[Finding, ...] = (),
    utterances: tuple[tuple[str, float, float], ...] = (
        ("agent", 0.0, 3.0),
        ("customer", 3.5, 6.0),
        ("agent", 8.0, 12.0),
    ),
) -> tuple[Conversation, InspectionResult]:
    conversation = Conversation(
        id=conv_id,
        channel="voice",
        agent_id=agent,
        started_at=at(started) if started else None,
        utterances=tuple(Utterance(role=r, start=s, end=e, text="话") for r, s, e in utterances),
    )
    deductions = sum(f.deduction for f in findings)
    vetoes = tuple(f.rule_id for f in findings if f.veto)
    result = InspectionResult(
        conversation_id=conv_id,
        agent_id=agent,
        score=0.0 if vetoes else max(0.0, 100.0 - deductions),
        deductions=deductions,
        veto=bool(vetoes),
        veto_rule_ids=vetoes,
        needs_review=False,
        review_reasons=(),
        category_scores={},
        findings=findings,
    )
    return conversation, result
