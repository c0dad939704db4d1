"""`zhijian rules check [DIR]`: validate rule packs and run every rule's examples.
`zhijian rules eval GOLDEN`: measure the packs on labelled conversations (`golden`), optionally
against a recorded ratchet (`golden_record`), or with `--audio DIR` on the conversations' recordings
through speech recognition beside their text (`golden_audio`).
`zhijian rules backtest --rules NEW_DIR PATH…`: a rule change's diff (`inspection.backtest_cli`)."""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from inspection.backtest_cli import register_backtest
from inspection.commandline import EXIT_FAILED_CHECKS, EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from inspection.engine.examples import ExampleOutcome, run_examples
from inspection.engine.golden import evaluate_golden, load_golden
from inspection.engine.golden_audio import evaluate_golden_audio, voice_evaluation_to_dict
from inspection.engine.golden_record import (
    Record,
    blocking_drops,
    drops,
    load_record,
    record_of,
    write_record,
)
from inspection.engine.golden_report import format_evaluation, format_ratchet, format_voice_evaluation
from inspection.engine.golden_scores import Evaluation, evaluation_to_dict
from inspection.engine.loader import load_rules
from inspection.errors import RuleConfigError, ZhijianError
from inspection.pipeline import Pipeline, PipelineSettings
from inspection.sentiment import load_default_sentiment

EVAL_DESCRIPTION = """用标注好的金标会话衡量规则包：每条规则的 tp/fp/fn、精确率、召回率、F1，宏平均 F1，
一票否决精确率，并列出每个误报与漏报。
GOLDEN 是金标目录（其下所有 .json / .jsonl）或单个文件：标准会话 JSON 加
"labels": {规则 id: true|false}（true = 正确的系统必须报出该规则；缺席 = 不评）和可选的 "notes"。
分母为 0 时：P = 1（规则从未命中），R = 1（没有标注正例），F1 = 2tp/(2tp+fp+fn)，
tp+fp+fn = 0 时 F1 = 1；宏平均 F1 是各已标注规则 F1 的平均；否决精确率在没有否决时为 1。
--audio DIR：DIR 中以会话 id 命名的录音（<id>.flac / .opus / .wav …）经语音识别转写后再评，
只评有录音的会话，文本与语音识别的数字并排列出（另有一票否决召回率与识别字错率）；
录音带上金标会话自己的 direction / industry / metadata 等字段。
退出码：0 评测完成；2 输入有误（文件名与字段会指明）；带 --record 时，
任一指标低于记录、或金标集会话数与记录不符，退出码为 1。"""


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser("rules", help="规则包：校验、运行示例与金标评测",
                                   description="规则包管理：check 校验并运行示例，"
                                               "eval 在金标会话上衡量准确率，"
                                               "backtest 回测规则改动。")
    actions = parser.add_subparsers(dest="rules_command", metavar="动作", required=True)
    check = actions.add_parser("check", help="校验规则包并运行每条规则的正反示例",
                               description="校验目录中所有规则包，运行每条规则的必中 / 必不中示例。")
    check.add_argument("directory", nargs="?", type=Path, default=None, metavar="DIR",
                       help="规则目录（默认：内置 rules/）")
    check.set_defaults(func=run_check)
    register_eval(actions)
    register_backtest(actions)


def register_eval(actions: SubParsers) -> None:
    evaluate = actions.add_parser("eval", help="在金标会话上衡量规则包的准确率（P/R/F1）",
                                  description=EVAL_DESCRIPTION,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    evaluate.add_argument("golden", type=Path, metavar="GOLDEN", help="金标目录或文件")
    evaluate.add_argument("--rules", type=Path, default=None, metavar="DIR",
                          help="规则目录（默认：内置 rules/）")
    evaluate.add_argument("--format", choices=("table", "json"), default="table",
                          help="输出格式：table 中文表格（默认），json 一个 JSON 对象")
    evaluate.add_argument("--no-sentiment", action="store_true",
                          help="不运行情绪模型（情绪类规则不会触发）")
    evaluate.add_argument("--record", type=Path, default=None, metavar="FILE",
                          help="棘轮记录文件：任一指标低于它则退出码为 1")
    evaluate.add_argument("--update-record", action="store_true",
                          help="没有指标低于记录时写入新数值（只升不降；金标集增删会话后重新记录）")
    evaluate.add_argument("--audio", type=Path, default=None, metavar="DIR",
                          help="录音目录：对有 <会话 id>.<扩展名> 录音的会话，经语音识别再评，与文本并列")
    evaluate.set_defaults(func=run_eval)


def run_check(args: argparse.Namespace) -> int:
    try:
        rules = load_rules(args.directory)
    except RuleConfigError as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    outcomes: dict[str, list[ExampleOutcome]] = defaultdict(list)
    for outcome in run_examples(rules, load_default_sentiment()):
        outcomes[outcome.rule_id].append(outcome)
    failures = 0
    for rule in rules.rules:
        results = outcomes[rule.id]
        bad = [o for o in results if not o.passed]
        failures += len(bad)
        mark = "✓" if not bad else "✗"
        sys.stdout.write(f"{mark} {rule.id} v{rule.header.version} {rule.header.name}："
                         f"{len(results) - len(bad)}/{len(results)} 示例通过\n")
        for outcome in bad:
            expectation = "应命中却未命中" if outcome.expected_hit else "不应命中却命中"
            sys.stdout.write(f"    {expectation}: {outcome.example}\n")
    sys.stdout.write(f"{len(rules.rules)} 条规则（{', '.join(rules.packs)}），"
                     f"{failures} 个示例失败\n")
    return EXIT_FAILED_CHECKS if failures else EXIT_OK


def run_eval(args: argparse.Namespace) -> int:
    if args.update_record and args.record is None:
        sys.stderr.write("错误: --update-record 需要同时给出 --record FILE\n")
        return EXIT_INVALID_INPUT
    if args.audio is not None:
        return run_voice_eval(args)
    try:
        recorded = _recorded(args.record, args.update_record)
        golden = load_golden(args.golden)
        settings = PipelineSettings(rules_dir=args.rules, sentiment_enabled=not args.no_sentiment)
        evaluation = evaluate_golden(Pipeline.from_settings(settings), golden)
    except ZhijianError as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    if args.record is None:
        _print_evaluation(evaluation, args, None)
        return EXIT_OK
    return _ratchet(evaluation, recorded, args)


def run_voice_eval(args: argparse.Namespace) -> int:
    """`--audio DIR`: the subset with recordings, on text and through ASR, side by side."""
    if args.record is not None:
        sys.stderr.write("错误: --audio 不能与 --record 同用：棘轮记录的是全部文本会话 "
                         "(the ratchet is kept on text)\n")
        return EXIT_INVALID_INPUT
    try:
        golden = load_golden(args.golden)
        settings = PipelineSettings(rules_dir=args.rules, sentiment_enabled=not args.no_sentiment)
        evaluation = evaluate_golden_audio(Pipeline.from_settings(settings), golden, args.audio)
    except ZhijianError as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    if args.format == "json":
        sys.stdout.write(json.dumps(voice_evaluation_to_dict(evaluation), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_voice_evaluation(evaluation, args.golden.as_posix()) + "\n")
    return EXIT_OK


def _recorded(path: Path | None, updating: bool) -> Record | None:
    """The record to compare with; None when there is none yet and it is about to be written."""
    if path is None or (updating and not path.exists()):
        return None
    return load_record(path)


def _ratchet(evaluation: Evaluation, recorded: Record | None, args: argparse.Namespace) -> int:
    """Compare with the record, write it when allowed, print the verdict; the exit code."""
    current = record_of(evaluation, golden=args.golden.as_posix())
    lowered = drops(recorded, current) if recorded else []
    written = bool(args.update_record) and not blocking_drops(recorded, current)
    if written:
        write_record(args.record, current)
    verdict = [] if recorded is None else format_ratchet(
        lowered, recorded, current, updating=args.update_record, written=written)
    if written:
        verdict.append(f"已写入记录 {args.record} (record written)")
    _print_evaluation(evaluation, args, {
        "record": str(args.record),
        "recorded_conversations": recorded.conversations if recorded else None,
        "drops": [{"figure": d.figure, "recorded": d.recorded, "current": d.current} for d in lowered],
        "written": written})
    out = sys.stdout if args.format == "table" else sys.stderr
    out.write("\n" + "\n".join(verdict) + "\n")
    failed = recorded is not None and (bool(lowered) or recorded.conversations != current.conversations)
    return EXIT_OK if written or not failed else EXIT_FAILED_CHECKS


def _print_evaluation(evaluation: Evaluation, args: argparse.Namespace,
                      ratchet: dict[str, Any] | None) -> None:
    if args.format == "json":
        data = evaluation_to_dict(evaluation)
        if ratchet is not None:
            data["ratchet"] = ratchet
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_evaluation(evaluation, args.golden.as_posix()) + "\n")
