"""`zhijian rules backtest --rules NEW_DIR [--baseline DIR] PATH...`: what a rule change would do
to conversations already seen (registered under `zhijian rules` by `inspection.engine.cli`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from inspection.backtest import backtest, paired_pipelines
from inspection.backtest_inputs import load_texts
from inspection.backtest_report import diff_to_dict, format_diff
from inspection.commandline import EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from inspection.engine import load_rules
from inspection.errors import ZhijianError
from inspection.pipeline import Pipeline, PipelineSettings
from inspection.scoring import DEFAULT_VETO_APPLIES, VETO_APPLIES_CHOICES

DESCRIPTION = """回测规则改动：用基线规则与新规则分别质检同一批会话（只走文本阶段，不重新转写），
逐条规则列出改动前后命中的会话数、新增命中与不再命中的会话（含话语与证据）、得分与一票否决
的变化、受影响的坐席。PATH 是会话文件或目录：标准会话 JSON / JSON Lines / 聊天 CSV，或从服务
导出的转写（GET /api/conversations/{id} 的记录）；录音文件会被跳过并报告。
服务中的“试运行”使用同一段比较代码，对同样的规则包与会话得出同样的结果。
退出码：0 完成（有文件无法读取时为 2，其余会话照常比较）；2 输入有误。"""


def register_backtest(actions: SubParsers) -> None:
    parser = actions.add_parser("backtest", help="回测规则改动：新旧规则在已有会话上的差异",
                                description=DESCRIPTION,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="会话文件或目录")
    parser.add_argument("--rules", type=Path, required=True, metavar="NEW_DIR",
                        help="改动后的规则目录")
    parser.add_argument("--baseline", type=Path, default=None, metavar="DIR",
                        help="基线规则目录（默认：内置 rules/）")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="输出格式：table 中文报告（默认），json 一个 JSON 对象")
    parser.add_argument("--no-sentiment", action="store_true",
                        help="不运行情绪模型（情绪类规则不会触发）")
    parser.add_argument("--veto-applies", choices=VETO_APPLIES_CHOICES,
                        default=DEFAULT_VETO_APPLIES, help="得分计算中一票否决何时生效（同 inspect）")
    parser.set_defaults(func=run_backtest)


def run_backtest(args: argparse.Namespace) -> int:
    try:
        conversations, problems = load_texts(args.paths)
        settings = PipelineSettings(rules_dir=args.baseline, sentiment_enabled=not args.no_sentiment,
                                    veto_applies=args.veto_applies)
        loaded = Pipeline.from_settings(settings)
        baseline, candidate = paired_pipelines(loaded, loaded.rules, load_rules(args.rules))
    except ZhijianError as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    for problem in problems:
        sys.stderr.write(f"错误: {problem}\n")
    diff = backtest(baseline, candidate, conversations)
    if args.format == "json":
        data = {"baseline": _label(args.baseline), "candidate": str(args.rules), **diff_to_dict(diff)}
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_diff(diff, baseline=_label(args.baseline),
                                     candidate=str(args.rules)) + "\n")
    return EXIT_INVALID_INPUT if problems else EXIT_OK


def _label(directory: Path | None) -> str:
    return str(directory) if directory else "内置 rules/"
