"""Render reports for people (Chinese tables) and for programs (JSON, English field names)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from coaching.dictionary import MetricDictionary
from coaching.effectiveness import PlanOutcome
from coaching.metrics import MetricValue
from coaching.period_report import PeriodReport
from coaching.recommend import Recommendation
from coaching.scorecard import AgentScorecard


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table whose columns line up with Chinese text."""
    widths = [max(_width(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    lines = [
        "  ".join(_pad(str(cell), w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in [headers, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _num(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def metric_json(value: MetricValue) -> dict[str, Any]:
    return asdict(value)


def agent_json(report: PeriodReport, card: AgentScorecard) -> dict[str, Any]:
    """The per-agent JSON object (`metrics`, `total`, `tier`, `rank`, `veto`, `bonus_share`, …)."""
    bonus = report.bonuses[card.agent_id]
    return {
        "agent_id": card.agent_id,
        "period": card.period,
        "metrics": {name: value.value for name, value in card.metrics.items()},
        "missing_metrics": {
            name: value.missing_reason for name, value in card.metrics.items() if value.missing
        },
        "total": card.total,
        "weight_coverage": card.weight_coverage,
        "tier": card.tier,
        "tier_label": card.tier_label,
        "rank": card.rank,
        "percentile": card.percentile,
        "veto": card.veto,
        "veto_reasons": list(card.veto_reasons),
        "pending_vetoes": list(card.pending_vetoes),
        "bonus_amount": bonus.amount,
        "bonus_share": bonus.share,
        "top_band": bonus.top_band,
        "improvement_plan": bonus.improvement_plan,
        "promotion_candidate": bonus.promotion_candidate,
        "bonus_notes": list(bonus.notes),
        "items": [asdict(item) for item in card.items],
        "trend": [asdict(point) for point in card.trend],
        "recommendations": [recommendation_json(r) for r in report.recommendations[card.agent_id]],
    }


def recommendation_json(rec: Recommendation) -> dict[str, Any]:
    data = asdict(rec)
    data["module"] = data.pop("module_id")
    return data


def report_json(report: PeriodReport) -> dict[str, Any]:
    """The whole period as one JSON-ready dict."""
    period = report.team.period
    return {
        "template": report.template.name,
        "period": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "agents": [agent_json(report, card) for card in report.team.cards],
        "team": {"metrics": {n: v.value for n, v in report.team.team_metrics.items()}},
        "alerts": [asdict(alert) for alert in report.alerts],
        "heatmap": asdict(report.heatmap),
    }


def scorecard_table(report: PeriodReport) -> str:
    """Ranking table, then each agent's item breakdown, then alerts."""
    team, template = report.team, report.template
    period = team.period
    out = [
        f"评分卡 {template.label}（{template.name}）  周期 {period.label}"
        f"（{period.start:%Y-%m-%d} 至 {period.end:%Y-%m-%d}，不含结束日）\n\n"
    ]
    rows = []
    for card in team.cards:
        bonus = report.bonuses[card.agent_id]
        trend = "，".join(f"{p.period}:{_num(p.total)}" for p in card.trend) or "—"
        share = "—" if bonus.share is None else f"{bonus.share:.1%}"
        rows.append(
            [
                "—" if card.rank is None else str(card.rank),
                card.agent_id,
                _num(card.total),
                f"{card.tier} {card.tier_label}",
                "是" if card.veto else "否",
                f"{bonus.amount:.2f}",
                share,
                trend,
            ]
        )
    headers = ["排名", "坐席", "总分", "档位", "否决", "奖金", "奖金占比", "趋势"]
    out.append(table(headers, rows))
    for card in team.cards:
        out.append("\n" + _card_detail(report, card))
    out.append(_alerts_text(report))
    return "".join(out)


def _card_detail(report: PeriodReport, card: AgentScorecard) -> str:
    rows = [
        [
            item.label,
            _num(item.value, 2),
            _num(item.score),
            f"{item.weight:g}%",
            _num(item.contribution, 2),
            "；".join(item.adjustments) or (item.missing_reason or ""),
        ]
        for item in card.items
    ]
    head = f"坐席 {card.agent_id}：总分 {_num(card.total)}，覆盖权重 {card.weight_coverage:g}%"
    if card.veto:
        head += f"，否决：{'；'.join(card.veto_reasons)}"
    if card.pending_vetoes:
        head += f"，否决待确认（未计入）：{'；'.join(card.pending_vetoes)}"
    notes = report.bonuses[card.agent_id].notes
    tail = "".join(f"  · {note}\n" for note in notes)
    return head + "\n" + table(["指标", "值", "得分", "权重", "贡献", "说明"], rows) + tail


def _alerts_text(report: PeriodReport) -> str:
    if not report.alerts:
        return "\n告警：无\n"
    lines = [f"  [{alert.agent_id}] {alert.message}" for alert in report.alerts]
    return "\n告警：\n" + "\n".join(lines) + "\n"


def coach_table(report: PeriodReport) -> str:
    """Each agent's ranked recommendations with evidence, then the skill × agent heatmap."""
    out = [f"辅导计划  周期 {report.team.period.label}  模板 {report.template.name}\n"]
    for card in report.team.cards:
        out.append(f"\n坐席 {card.agent_id}（档位 {card.tier} {card.tier_label}）\n")
        recs = report.recommendations[card.agent_id]
        if not recs:
            out.append("  暂无辅导建议\n")
        for index, rec in enumerate(recs, 1):
            out.append(_recommendation_text(index, rec))
    out.append("\n团队技能热力图（有该技能问题的会话占比 %）\n")
    heat = report.heatmap
    rows = [[skill, *[_num(heat.rate(agent, skill), 0) for agent in heat.agents]] for skill in heat.skills]
    out.append(table(["技能 \\ 坐席", *heat.agents], rows))
    return "".join(out)


def _recommendation_text(index: int, rec: Recommendation) -> str:
    flag = " [否决]" if rec.veto else ""
    module = f"{rec.module_id} {rec.module_title}" if rec.module_id else "（目录中无对应模块）"
    lines = [f"  {index}. {rec.skill_label}（{rec.skill}）→ {module}  影响 {rec.impact:g}{flag}"]
    if rec.rule_ids:
        lines.append(
            f"     依据：{', '.join(rec.rule_ids)} 共 {rec.finding_count} 处，{rec.conversation_count} 通会话"
        )
    for gap in rec.metric_gaps:
        lines.append(
            f"     指标差距：{gap.label} {_num(gap.value, 2)}（目标 {_num(gap.target, 2)}，"
            f"团队中位 {_num(gap.team_median, 2)}）"
        )
    for snippet in rec.evidence:
        where = (
            f"第 {snippet.utterance_index} 句 {snippet.start:.1f}–{snippet.end:.1f}s"
            if snippet.utterance_index is not None and snippet.start is not None and snippet.end is not None
            else "全通会话"
        )
        text = f"“{snippet.text}”" if snippet.text else snippet.explanation
        lines.append(f"     证据：{snippet.conversation_id} {where} {text}")
    return "\n".join(lines) + "\n"


def plan_outcomes_table(outcomes: Sequence[PlanOutcome]) -> str:
    """Before/after violation rate of each completed coaching plan."""
    if not outcomes:
        return ""
    rows = [
        [
            o.agent_id,
            o.skill,
            f"{o.done_at:%Y-%m-%d %H:%M}",
            f"{_num(o.before_rate, 1, '%')}（{o.before_conversations} 通）",
            f"{_num(o.after_rate, 1, '%')}（{o.after_conversations} 通）",
            {True: "改善", False: "未改善", None: "数据不足"}[o.improved],
        ]
        for o in outcomes
    ]
    headers = ["坐席", "技能", "完成时间", "完成前违规率", "完成后违规率", "结论"]
    return "\n辅导效果（完成前后违规会话占比）\n" + table(headers, rows)


def dictionary_table(dictionary: MetricDictionary) -> str:
    """The metric dictionary as a table (`zhijian metrics`)."""
    rows = [
        [
            m.name,
            m.label,
            "越高越好" if m.direction == "higher" else "越低越好",
            m.unit,
            _num(m.target, 2) if m.target is not None else "—",
            m.source,
            m.definition,
        ]
        for m in dictionary.metrics
    ]
    headers = ["指标 name", "名称", "方向", "单位", "目标", "来源", "定义"]
    return table(headers, rows)


def dictionary_json(dictionary: MetricDictionary) -> list[dict[str, Any]]:
    return [m.model_dump() for m in dictionary.metrics]
