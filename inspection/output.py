"""Render inspection results: a Chinese table for people, JSON lines for programs."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from inspection.types import Conversation, Finding, InspectionResult

ROLE_LABELS = {"agent": "坐席", "customer": "客户"}


def result_to_dict(conversation: Conversation, result: InspectionResult) -> dict[str, Any]:
    """The JSON shape of one verdict (English field names, stable across versions)."""
    return {
        "id": result.conversation_id,
        "agent_id": result.agent_id,
        "channel": conversation.channel,
        "roles_inferred": conversation.roles_inferred,
        "score": result.score,
        "deductions": result.deductions,
        "veto": result.veto,
        "veto_rule_ids": list(result.veto_rule_ids),
        "pending_veto_rule_ids": list(result.pending_veto_rule_ids),
        "needs_review": result.needs_review,
        "review_reasons": list(result.review_reasons),
        "category_scores": result.category_scores,
        "findings": [finding_to_dict(f) for f in result.findings],
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    data = asdict(finding)
    data["confidence"] = finding.confidence
    return data


def to_json_line(conversation: Conversation, result: InspectionResult) -> str:
    return json.dumps(result_to_dict(conversation, result), ensure_ascii=False)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def clip(text: str, width: int) -> str:
    out = ""
    for char in text:
        if display_width(out + char) > width - 1:
            return out + "…"
        out += char
    return out


def format_table(conversation: Conversation, result: InspectionResult) -> str:
    yes_no = {True: "是", False: "否"}
    veto = veto_text(result)
    lines = [
        f"会话 {result.conversation_id} ｜ 坐席 {result.agent_id or '-'} ｜ "
        f"得分 {result.score:g} ｜ 一票否决 {veto} ｜ 需复核 {yes_no[result.needs_review]}",
    ]
    lines += [f"  ⚠ {reason}" for reason in result.review_reasons]
    if not result.findings:
        lines.append("  未发现问题")
        return "\n".join(lines)
    lines.append("  " + pad("规则", 30) + pad("扣分", 6) + pad("角色", 6) + pad("时间", 14) + "说明")
    for finding in result.findings:
        lines.append("  " + _finding_row(finding))
    return "\n".join(lines)


def veto_text(result: InspectionResult) -> str:
    """是（规则）for an applied veto, 待确认（规则）for one awaiting a reviewer, else 否."""
    if result.veto:
        return f"是（{', '.join(result.veto_rule_ids)}）"
    if result.pending_veto_rule_ids:
        return f"待确认（{', '.join(result.pending_veto_rule_ids)}，未计入得分）"
    return "否"


def _finding_row(finding: Finding) -> str:
    evidence = finding.evidence
    deduction = "否决" if finding.veto else f"-{finding.deduction:g}"
    role = ROLE_LABELS.get(evidence.role, evidence.role) if evidence else "-"
    when = f"{evidence.start:.1f}–{evidence.end:.1f}s" if evidence else "-"
    label = clip(f"{finding.rule_id} {finding.rule_name}", 29)
    return pad(label, 30) + pad(deduction, 6) + pad(role, 6) + pad(when, 14) + finding.explanation


def format_summary(results: Sequence[InspectionResult], failed: int) -> str:
    if not results:
        return f"共 0 通会话；{failed} 个文件无法读取"
    mean = sum(r.score for r in results) / len(results)
    vetoes = sum(r.veto for r in results)
    pending = sum(bool(r.pending_veto_rule_ids) for r in results)
    review = sum(r.needs_review for r in results)
    text = (f"共 {len(results)} 通会话 ｜ 平均分 {mean:.1f} ｜ 一票否决 {vetoes} 通"
            + (f"（另有 {pending} 通否决待确认）" if pending else "") + f" ｜ 需复核 {review} 通")
    return text + (f" ｜ {failed} 个文件无法读取" if failed else "")
