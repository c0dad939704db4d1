"""A backtest diff for people (a Chinese report) and for programs (JSON, English field names).
The service's dry run stores and serves the same JSON shape (`diff_to_dict`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from inspection.backtest import BacktestDiff, RuleDiff, RuleHit, VerdictChange
from inspection.output import clip, pad

MAX_LISTED = 20  # conversations listed per rule and direction in the table


def diff_to_dict(diff: BacktestDiff) -> dict[str, Any]:
    """Every rule's counts and hits, the verdict changes, the agents affected."""
    return {
        "conversations": diff.conversations,
        "rules": [rule_to_dict(rule) for rule in diff.rules],
        "changed_rules": [rule.rule_id for rule in diff.changed_rules],
        "score_changes": [_score_change(c) for c in diff.score_changes],
        "veto_changes": [_veto_change(c) for c in diff.veto_changes],
        "agents_affected": list(diff.agents_affected),
        "flagged_conversations": list(diff.flagged_conversations),
        "errors": list(diff.errors),
    }


def rule_to_dict(rule: RuleDiff) -> dict[str, Any]:
    return {"rule_id": rule.rule_id, "rule_name": rule.rule_name,
            "fired_before": rule.fired_before, "fired_after": rule.fired_after,
            "newly_flagged": [asdict(hit) for hit in rule.newly_flagged],
            "newly_cleared": [asdict(hit) for hit in rule.newly_cleared]}


def _score_change(change: VerdictChange) -> dict[str, Any]:
    return {"conversation_id": change.conversation_id, "agent_id": change.agent_id,
            "before": change.score_before, "after": change.score_after}


def _veto_change(change: VerdictChange) -> dict[str, Any]:
    return {"conversation_id": change.conversation_id, "agent_id": change.agent_id,
            "before": list(change.vetoes_before), "after": list(change.vetoes_after)}


def summary_line(diff: BacktestDiff) -> str:
    """One line: what changed, for a publication's record and the page headline."""
    flagged = sum(len(rule.newly_flagged) for rule in diff.rules)
    cleared = sum(len(rule.newly_cleared) for rule in diff.rules)
    return (f"{diff.conversations} 通会话：{len(diff.changed_rules)} 条规则有变化，新增命中 {flagged}，"
            f"不再命中 {cleared}，得分变化 {len(diff.score_changes)} 通，否决变化 "
            f"{len(diff.veto_changes)} 通，涉及坐席 {len(diff.agents_affected)} 人")


def format_diff(diff: BacktestDiff, *, baseline: str, candidate: str) -> str:
    """The Chinese report: the rules that changed with their conversations, then verdicts."""
    lines = [f"回测：{baseline} → {candidate}", summary_line(diff), ""]
    changed = diff.changed_rules
    if changed:
        lines.append(pad("规则", 34) + pad("命中前", 8) + pad("命中后", 8) + pad("新增", 6) + "不再命中")
        for rule in changed:
            label = clip(f"{rule.rule_id} {rule.rule_name}", 33)
            lines.append(pad(label, 34) + pad(str(rule.fired_before), 8)
                         + pad(str(rule.fired_after), 8) + pad(str(len(rule.newly_flagged)), 6)
                         + str(len(rule.newly_cleared)))
        for rule in changed:
            lines += _rule_lines(rule)
    else:
        lines.append("没有规则的命中发生变化。")
    unchanged = len(diff.rules) - len(changed)
    lines.append(f"\n另有 {unchanged} 条规则命中不变。")
    lines += _verdict_lines(diff)
    lines += [f"无法质检（已跳过）：{error}" for error in diff.errors]
    return "\n".join(lines)


def _rule_lines(rule: RuleDiff) -> list[str]:
    lines = [f"\n{rule.rule_id} {rule.rule_name}"]
    for mark, hits in (("+ 新增命中", rule.newly_flagged), ("- 不再命中", rule.newly_cleared)):
        lines += [f"  {mark} {hit_text(hit)}" for hit in hits[:MAX_LISTED]]
        if len(hits) > MAX_LISTED:
            lines.append(f"  … 另有 {len(hits) - MAX_LISTED} 通（--format json 列出全部）")
    return lines


def hit_text(hit: RuleHit) -> str:
    """`c-1（坐席 A017）第 2 句：「…」 证据「…」 explanation`."""
    agent = f"（坐席 {hit.agent_id}）" if hit.agent_id else ""
    if hit.utterance_index is None:
        return f"{hit.conversation_id}{agent} 全通会话：{hit.explanation}"
    return (f"{hit.conversation_id}{agent} 第 {hit.utterance_index} 句：「{hit.utterance}」 "
            f"证据「{hit.evidence}」 {hit.explanation}")


def _verdict_lines(diff: BacktestDiff) -> list[str]:
    lines = []
    if diff.score_changes:
        lines.append("\n得分变化：")
        lines += [f"  {c.conversation_id}（坐席 {c.agent_id or '-'}）{c.score_before:g} → "
                  f"{c.score_after:g}" for c in diff.score_changes]
    if diff.veto_changes:
        lines.append("\n一票否决变化（含待确认）：")
        lines += [f"  {c.conversation_id}（坐席 {c.agent_id or '-'}）"
                  f"{'、'.join(c.vetoes_before) or '无'} → {'、'.join(c.vetoes_after) or '无'}"
                  for c in diff.veto_changes]
    agents = "、".join(diff.agents_affected) or "无"
    lines.append(f"\n受影响坐席：{agents}")
    return lines


__all__ = ["diff_to_dict", "format_diff", "hit_text", "rule_to_dict", "summary_line"]
