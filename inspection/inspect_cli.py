"""`zhijian inspect`: inspect conversation files, folders and call recordings.

Every file goes through the one `Pipeline` (redaction included, unless `--no-redact`). A bad
file, or a conversation a rule cannot check, is reported on stderr by name and the others go
on; the exit code is then 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from tqdm import tqdm

from inspection.commandline import EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from inspection.errors import ZhijianError
from inspection.output import format_summary, format_table, to_json_line
from inspection.pipeline import Pipeline, PipelineResult, PipelineSettings, discover, is_audio
from inspection.scoring import DEFAULT_VETO_APPLIES, VETO_APPLIES_CHOICES

logger = logging.getLogger(__name__)

NOT_REDACTED_NOTICE = "注意：已关闭脱敏（--no-redact），输出含未脱敏的个人信息，请勿外传。\n"


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "inspect",
        help="质检会话文件（JSON / CSV / 录音）",
        description="质检一个或多个会话文件或目录：JSON、JSON Lines、聊天 CSV 或通话录音。"
        "个人信息（身份证号、银行卡号、手机号）默认先脱敏再输出。",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="文件或目录")
    parser.add_argument("--rules", type=Path, default=None, metavar="DIR",
                        help="规则目录（默认：内置 rules/）")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="输出格式：table 中文表格（默认），json 每行一个 JSON 对象")
    parser.add_argument("--veto-applies", choices=VETO_APPLIES_CHOICES,
                        default=DEFAULT_VETO_APPLIES,
                        help="一票否决何时计入得分：on_confirmation 复核确认后（默认，与服务一致："
                             "输出显示“待确认”，得分不含否决），immediately 立即计 0 分")
    add_pipeline_arguments(parser)
    parser.set_defaults(func=run)


def add_pipeline_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose the pipeline's models and redaction (shared with other commands)."""
    parser.add_argument("--sentiment-model", default=None, metavar="DIR",
                        help="情绪模型目录（默认：内置模型）")
    parser.add_argument("--no-sentiment", action="store_true",
                        help="不运行情绪模型（情绪类规则不会触发）")
    parser.add_argument("--sentence-encoder", default=None, metavar="DIR",
                        help="similar 语义规则所用的句向量模型目录（transformers；默认内置 USE 多语言 v3）")
    parser.add_argument("--no-redact", action="store_true",
                        help="不脱敏：输出含原始个人信息（仅供本机核对，输出中会注明）")


def pipeline_settings(args: argparse.Namespace) -> PipelineSettings:
    return PipelineSettings(
        rules_dir=getattr(args, "rules", None),
        redact=not args.no_redact,
        sentiment_enabled=not args.no_sentiment,
        sentiment_model=args.sentiment_model,
        veto_applies=getattr(args, "veto_applies", DEFAULT_VETO_APPLIES),
    )


def run(args: argparse.Namespace) -> int:
    try:
        files = discover(args.paths)
        pipeline = Pipeline.from_settings(pipeline_settings(args))
    except ZhijianError as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    if not pipeline.redacts:
        sys.stderr.write(NOT_REDACTED_NOTICE)
    results: list[PipelineResult] = []
    failed = 0
    with tqdm(total=len(files), desc="质检", unit="文件", file=sys.stderr,
              disable=len(files) < 2, leave=False) as progress:
        for path in files:
            failed += _inspect_one_file(pipeline, path, args.format, results, progress)
            progress.update(1)
    if args.format == "table":
        sys.stdout.write(format_summary([r.result for r in results], failed) + "\n")
    return EXIT_INVALID_INPUT if failed else EXIT_OK


def _inspect_one_file(pipeline: Pipeline, path: Path, output_format: str,
                      results: list[PipelineResult], progress: tqdm) -> int:
    """Inspect and print every conversation of `path`; returns how many could not be."""
    try:
        if is_audio(path):
            _keep(pipeline.inspect_audio(path), output_format, results, progress)
            return 0
        conversations = pipeline.load_file(path)
    except ZhijianError as exc:  # unreadable file, unusable audio
        progress.write(f"错误: {exc}", file=sys.stderr)
        return 1
    failed = 0
    for conversation in conversations:
        try:
            _keep(pipeline.inspect_conversation(conversation), output_format, results, progress)
        except ZhijianError as exc:  # e.g. a rule's regex timed out on this text
            failed += 1
            progress.write(f"错误: {path}: {conversation.id}: {exc}", file=sys.stderr)
    return failed


def _keep(item: PipelineResult, output_format: str, results: list[PipelineResult],
          progress: tqdm) -> None:
    """Record and print one verdict; through the bar's `write` so that on a terminal the
    report lines never interleave with the progress bar (it is redrawn below them)."""
    results.append(item)
    if output_format == "json":
        text = to_json_line(item.conversation, item.result) + "\n"
    else:
        text = format_table(item.conversation, item.result) + "\n\n"
    progress.write(text, file=sys.stdout, end="")
    sys.stdout.flush()
