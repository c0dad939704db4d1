"""`zhijian metrics`, `zhijian scorecard` and `zhijian coach` (registered by the `zhijian` program).

Invalid input → a message naming the file (and line) on stderr and exit code 2. Skipped
ticket / manual-input rows are reported on stderr; the rest is still used.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coaching.bonus import BonusPolicy
from coaching.dataset import CoachingInputs, unplaced_conversations
from coaching.dictionary import load_metric_dictionary
from coaching.effectiveness import PlanOutcome
from coaching.manual import ManualImport, load_manual
from coaching.metrics import Inspected, MetricOptions
from coaching.period_report import PeriodReport, ReportOptions, build_report
from coaching.periods import parse_period
from coaching.plans import evaluate_plans, load_plans
from coaching.render import (
    coach_table,
    dictionary_json,
    dictionary_table,
    plan_outcomes_table,
    report_json,
    scorecard_table,
)
from coaching.skills import load_skill_catalogue
from coaching.template_model import list_templates, load_template
from coaching.tickets import RowError, Ticket, load_tickets
from inspection.commandline import EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from inspection.errors import InvalidInputError, ZhijianError
from inspection.pipeline import Pipeline, PipelineSettings, discover

logger = logging.getLogger("zhijian.coaching")


def register(subparsers: SubParsers) -> None:
    """Add the `metrics`, `scorecard` and `coach` subcommands."""
    metrics = subparsers.add_parser(
        "metrics", help="打印指标字典（名称、定义、公式、方向、来源）/ print the metric dictionary"
    )
    metrics.add_argument("--format", choices=("table", "json"), default="table")
    metrics.set_defaults(func=run_metrics)
    scorecard = subparsers.add_parser(
        "scorecard", help="坐席评分卡、排名、档位与奖金 / agent scorecards, ranks, tiers, bonuses"
    )
    _add_inputs(scorecard)
    scorecard.set_defaults(func=run_scorecard)
    coach = subparsers.add_parser(
        "coach", help="辅导建议（技能、培训模块、证据）/ coaching recommendations with evidence"
    )
    _add_inputs(coach)
    coach.add_argument(
        "--plans",
        type=Path,
        metavar="CSV",
        help="已完成的辅导计划 CSV：agent_id,skill,done_at（评估前后违规率）",
    )
    coach.add_argument(
        "--plan-window-days", type=int, default=None, help="效果评估只看完成日前后各 N 天的会话（默认全部）"
    )
    coach.set_defaults(func=run_coach)


def _add_inputs(parser: argparse.ArgumentParser) -> None:
    add = parser.add_argument
    add(
        "--conversations",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar="PATH",
        help="会话 JSON / 聊天 CSV 文件或目录（先质检再计算）",
    )
    add("--tickets", type=Path, metavar="CSV", help="工单 CSV（列见 docs/coaching.md）")
    add(
        "--template",
        default="finance",
        help=f"评分卡模板名或 YAML 路径（内置：{', '.join(list_templates())}）",
    )
    add("--period", required=True, help="考核周期：2026-10（月）、2026-W44（周）、2026-Q4（季）")
    add("--manual", type=Path, metavar="CSV", help="人工录入指标 CSV：agent_id,period,metric,value")
    add(
        "--de-escalation",
        type=Path,
        metavar="JSON",
        help="情绪缓和结论 JSON：{会话 id: true/false/null}",
    )
    add("--rules-dir", type=Path, help="质检规则包目录（默认内置 rules/）")
    add("--timezone", default="Asia/Shanghai", help="呼叫中心时区（周期边界按此计算）")
    add("--fcr-days", type=int, default=7, help="首次解决率的重复联系窗口（天），默认 7")
    add("--first-response-seconds", type=float, default=30.0, help="首次响应达标线（秒），默认 30")
    add("--bonus-base", type=float, default=1000.0, help="基础奖金（元），默认 1000")
    add("--format", choices=("table", "json"), default="table")


def run_metrics(args: argparse.Namespace) -> int:
    dictionary = load_metric_dictionary()
    if args.format == "json":
        sys.stdout.write(json.dumps(dictionary_json(dictionary), ensure_ascii=False, indent=2))
        sys.stdout.write("\n")
    else:
        sys.stdout.write(dictionary_table(dictionary))
    return EXIT_OK


def run_scorecard(args: argparse.Namespace) -> int:
    return _run(args, scorecard_table)


def run_coach(args: argparse.Namespace) -> int:
    return _run(args, coach_table, with_plans=True)


def _run(args: argparse.Namespace, render: Any, with_plans: bool = False) -> int:
    try:
        report, inputs, skipped = _build(args)
        outcomes = _plan_outcomes(args, inputs, skipped) if with_plans else []
    except (ZhijianError, ValueError) as exc:
        sys.stderr.write(f"错误 error: {exc}\n")
        return EXIT_INVALID_INPUT
    for row in skipped:
        sys.stderr.write(f"跳过 skipped: {row}\n")
    if args.format == "json":
        data = report_json(report)
        data["skipped_rows"] = [str(row) for row in skipped]
        if with_plans:
            data["plan_outcomes"] = [asdict(outcome) for outcome in outcomes]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        sys.stdout.write(render(report) + plan_outcomes_table(outcomes))
    return EXIT_OK


def _plan_outcomes(
    args: argparse.Namespace, inputs: CoachingInputs, skipped: list[RowError]
) -> list[PlanOutcome]:
    if args.plans is None:
        return []
    catalogue = load_skill_catalogue()
    plans, errors = load_plans(args.plans, catalogue, inputs.tz)
    skipped.extend(errors)
    return evaluate_plans(plans, inputs.inspected, catalogue, args.plan_window_days, inputs.tz)


def _build(args: argparse.Namespace) -> tuple[PeriodReport, CoachingInputs, list[RowError]]:
    try:
        tz = ZoneInfo(args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"--timezone {args.timezone!r} is not a known time zone") from None
    period = parse_period(args.period, tz)
    dictionary = load_metric_dictionary()
    template = load_template(args.template, dictionary)
    if args.tickets is None and not args.conversations:
        raise ValueError("give --tickets and/or --conversations")
    tickets: tuple[Ticket, ...] = ()
    skipped: list[RowError] = []
    if args.tickets is not None:
        imported = load_tickets(args.tickets, tz)
        tickets, skipped = imported.tickets, list(imported.errors)
    manual = ManualImport({}, ())
    if args.manual is not None:
        manual = load_manual(args.manual, dictionary)
        skipped.extend(manual.errors)
    named = (args.tickets, args.manual, args.de_escalation, getattr(args, "plans", None))
    inputs_files = [path for path in named if path is not None]
    items = tuple(load_inspected(args.conversations, args.rules_dir, inputs_files))
    for conversation_id in unplaced_conversations(items):
        sys.stderr.write(f"未计入 not placed (no agent_id or started_at): {conversation_id}\n")
    inputs = CoachingInputs(
        inspected=items,
        tickets=tickets,
        de_escalated=load_de_escalation(args.de_escalation) if args.de_escalation else None,
        manual=manual,
        options=MetricOptions(args.first_response_seconds, args.fcr_days),
        tz=tz,
    )
    options = ReportOptions(bonus=BonusPolicy(base_amount=args.bonus_base))
    return build_report(inputs, template, period, options, dictionary), inputs, skipped


def load_inspected(
    paths: Sequence[Path], rules_dir: Path | None, exclude: Sequence[Path] = ()
) -> list[Inspected]:
    """Inspect the conversation files under `paths` through the pipeline (redacted; without
    the sentiment model, as scorecards read findings and ticket metrics only).

    Files in `exclude` (the ticket and manual-input CSVs, which may sit in the same folder)
    are not conversations and are left out.
    """
    if not paths:
        return []
    skip = {path.resolve() for path in exclude}
    files = [path for path in discover(paths) if path.resolve() not in skip]
    if not files:
        return []
    pipeline = Pipeline.from_settings(PipelineSettings(rules_dir=rules_dir, sentiment_enabled=False))
    return [(item.conversation, item.result) for path in files for item in pipeline.inspect_file(path)]


def load_de_escalation(path: Path) -> Mapping[str, bool | None]:
    """Read `{conversation id: true | false | null}`."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(str(path), f"cannot read de-escalation JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise InvalidInputError(str(path), "expected an object {conversation id: true/false/null}")
    for key, value in raw.items():
        if value is not None and not isinstance(value, bool):
            raise InvalidInputError(str(path), "value must be true, false or null", key)
    return raw
