"""`zhijian inspect`: inspect conversation files, folders and call recordings.

Every file goes through the one `Pipeline` (redaction included, unless `--no-redact`), in this
process or, with `--jobs N`, in N worker processes (`inspection.batch`); results stream as they
finish. A bad file, a conversation a rule cannot check, a metadata row that names no recording
(`--metadata`), a recording without metadata (`--require-metadata`) or one over the length
limit is reported on stderr by name and the others go on; the exit code is then 2.
`--resume OUTPUT` appends JSON lines to OUTPUT and skips the ids already there. The run ends
with the number of conversations per hour (wall clock) and per CPU-hour on stderr.
"""

from __future__ import annotations

import argparse
import logging
import resource
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from inspection.batch import BatchItem, ItemOutcome, ResumeLog, Verdict, run_items
from inspection.commandline import EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from inspection.errors import ZhijianError
from inspection.output import format_summary
from inspection.pipeline import Pipeline, PipelineSettings, discover
from inspection.recording_metadata import add_metadata_arguments, plan_for_files
from inspection.scoring import DEFAULT_VETO_APPLIES, VETO_APPLIES_CHOICES
from inspection.transcription.audio import DEFAULT_MAX_DURATION_S
from inspection.transcription.progress import follow_windows

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
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="并行进程数（每个进程一套模型、单线程；默认 1）")
    parser.add_argument("--resume", type=Path, default=None, metavar="OUTPUT",
                        help="结果以 JSON lines 追加写入 OUTPUT，跳过其中已有的会话 id（中断后重跑即续）")
    add_pipeline_arguments(parser)
    add_recording_arguments(parser)
    parser.set_defaults(func=run)


def add_pipeline_arguments(parser: argparse.ArgumentParser) -> None:
    """The options that choose the pipeline's models and redaction (shared with other commands)."""
    parser.add_argument("--sentiment-model", default=None, metavar="DIR",
                        help="情绪模型目录（默认：内置模型）；或 m3e-small：仅限非商业研究用途"
                             "（non-commercial research only），先运行 `make m3e-small`")
    parser.add_argument("--no-sentiment", action="store_true",
                        help="不运行情绪模型（情绪类规则不会触发）")
    parser.add_argument("--no-redact", action="store_true",
                        help="不脱敏：输出含原始个人信息（仅供本机核对，输出中会注明）")


def add_recording_arguments(parser: argparse.ArgumentParser) -> None:
    """Metadata and length limit for recordings."""
    add_metadata_arguments(parser)
    parser.add_argument("--max-duration", type=float, default=None, metavar="SECONDS",
                        help="单个录音的最长时长，超过则在转写前报错跳过"
                             f"（默认 {DEFAULT_MAX_DURATION_S:.0f} 秒）")


def pipeline_settings(args: argparse.Namespace) -> PipelineSettings:
    max_duration = getattr(args, "max_duration", None)
    return PipelineSettings(
        rules_dir=getattr(args, "rules", None),
        redact=not args.no_redact,
        sentiment_enabled=not args.no_sentiment,
        sentiment_model=args.sentiment_model,
        veto_applies=getattr(args, "veto_applies", DEFAULT_VETO_APPLIES),
        transcriber={"max_duration_s": max_duration} if max_duration else {},
    )


@dataclass
class _Tally:
    """What the run has printed so far, for the summary lines."""

    results: list[Verdict] = field(default_factory=list)
    failed: int = 0
    started: float = field(default_factory=time.perf_counter)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1:
        sys.stderr.write("错误: --jobs 至少为 1\n")
        return EXIT_INVALID_INPUT
    try:
        own = {path.resolve() for path in (args.metadata, args.resume) if path is not None}
        files = [path for path in discover(args.paths) if path.resolve() not in own]
        plan = plan_for_files(files, metadata_csv=args.metadata, require=args.require_metadata,
                              max_duration_s=args.max_duration or DEFAULT_MAX_DURATION_S)
        settings = pipeline_settings(args)
        pipeline = Pipeline.from_settings(settings)  # the rule packs are checked here, once
        log = ResumeLog(args.resume).open() if args.resume else None
    except (ZhijianError, ValueError) as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    if not pipeline.redacts:
        sys.stderr.write(NOT_REDACTED_NOTICE)
    for problem in plan.problems:
        sys.stderr.write(f"错误: {problem}\n")
    items = [BatchItem(path, plan.fields.get(path)) for path in files if path not in plan.refused]
    tally = _Tally(failed=len(plan.problems))
    try:
        _run_batch(items, settings, pipeline, args, tally, log)
    finally:
        if log is not None:
            log.close()
    if args.format == "table" and log is None:
        sys.stdout.write(format_summary([v.result for v in tally.results], tally.failed) + "\n")
    sys.stderr.write(rate_line(len(tally.results), time.perf_counter() - tally.started) + "\n")
    return EXIT_INVALID_INPUT if tally.failed else EXIT_OK


def _run_batch(items: list[BatchItem], settings: PipelineSettings, pipeline: Pipeline,
               args: argparse.Namespace, tally: _Tally, log: ResumeLog | None) -> None:
    with tqdm(total=len(items), desc="质检", unit="文件", file=sys.stderr, disable=None,
              leave=False) as progress, follow_windows(progress, as_postfix=True):
        outcomes = run_items(items, settings=settings, jobs=args.jobs,
                             pipeline=pipeline if args.jobs == 1 else None,
                             done=frozenset(log.done) if log else frozenset())
        for outcome in outcomes:
            _report(outcome, args.format, tally, progress, log)
            progress.update(1)


def _report(outcome: ItemOutcome, output_format: str, tally: _Tally, progress: tqdm,
            log: ResumeLog | None) -> None:
    """Print (or append to the resume log) each verdict and error of one file; through the
    bar's `write` so that on a terminal the lines never interleave with the progress bar."""
    for error in outcome.errors:
        progress.write(error, file=sys.stderr)
    tally.failed += len(outcome.errors)
    for verdict in outcome.verdicts:
        tally.results.append(verdict)
        if log is not None:
            log.write(verdict.json_line)
        elif output_format == "json":
            progress.write(verdict.json_line, file=sys.stdout)
        else:
            progress.write(verdict.table + "\n", file=sys.stdout)
        sys.stdout.flush()


def rate_line(conversations: int, wall_s: float) -> str:
    """Conversations per hour of wall clock and per CPU-hour (this process and its workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    per_hour = conversations * 3600 / wall_s if wall_s > 0 else 0.0
    per_cpu_hour = conversations * 3600 / cpu_s if cpu_s > 0 else 0.0
    return (f"共 {conversations} 通会话，用时 {wall_s:.1f} 秒（CPU {cpu_s:.1f} 秒）："
            f"每小时 {per_hour:.0f} 通，每 CPU 小时 {per_cpu_hour:.0f} 通")
