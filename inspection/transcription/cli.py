"""`zhijian transcribe FILE...`: call recordings → canonical conversation JSON (or readable text).

JSON output is one conversation per line (JSON Lines), the format `zhijian inspect` reads.
Recordings go through the pipeline's transcribe and redact stages: personal numbers are masked
before anything is printed or written (`--no-redact` turns that off and says so). A bad file
prints an error naming it on stderr, writes nothing, and the other files go on; the exit code is
then 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from inspection.commandline import EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from inspection.errors import ModelLoadError, ZhijianError
from inspection.pipeline import Pipeline, PipelineSettings
from inspection.recording_metadata import RecordingMetadata, add_metadata_arguments, plan_for_files
from inspection.transcription.audio import DEFAULT_MAX_DURATION_S
from inspection.transcription.model import EMBEDDED_MODEL
from inspection.transcription.progress import show_progress
from inspection.types import Conversation

logger = logging.getLogger("inspection.transcription")

NOT_REDACTED_NOTICE = "注意：已关闭脱敏（--no-redact），输出含未脱敏的个人信息，请勿外传。\n"
ROLE_NAMES = {"agent": "坐席", "customer": "客户"}


def register(subparsers: SubParsers) -> None:
    parser = subparsers.add_parser(
        "transcribe",
        help="录音转写为会话 JSON（离线 faster-whisper）",
        description="把通话录音转写为带角色的会话 JSON（每行一个，可直接交给 zhijian inspect）。"
        "立体声：每个声道一个说话人；单声道：角色为推断，标记 roles_inferred。",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="录音文件")
    parser.add_argument(
        "--format",
        choices=("json", "text"),
        default="json",
        help="输出格式：json（默认，每行一个会话）或 text（便于阅读）",
    )
    parser.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="把每个会话写入 DIR/<文件名>.json，而不是打印",
    )
    parser.add_argument("--no-words", action="store_true", help="JSON 中不输出逐字时间戳")
    parser.add_argument("--no-redact", action="store_true",
                        help="不脱敏：输出含原始个人信息（仅供本机核对，输出中会注明）")
    add_metadata_arguments(parser)
    _add_model_arguments(parser.add_argument_group("模型设置"))
    parser.set_defaults(func=run)


def _add_model_arguments(group: argparse._ArgumentGroup) -> None:
    group.add_argument(
        "--model", default=EMBEDDED_MODEL, help=f"模型目录或名称，如 large-v3（默认：内置 {EMBEDDED_MODEL}）"
    )
    group.add_argument(
        "--device",
        choices=("auto", "cpu", "cuda"),
        default="auto",
        help="运行设备（默认 auto：有 GPU 用 GPU）",
    )
    group.add_argument("--compute-type", default=None, help="计算精度（默认：CPU int8，GPU float16）")
    group.add_argument("--beam-size", type=int, default=None, help="束搜索宽度（默认 3）")
    group.add_argument("--retry-beam-size", type=int, default=None, metavar="N",
                       help="首遍解码失败（平均对数概率过低、文本重复或漏段）的窗口用此宽度重解"
                            "（默认 0：不重解；--beam-size 1 --retry-beam-size 5 为贪心优先，更快、略不准）")
    group.add_argument("--threads", type=int, default=None,
                       help="每个进程的 CPU 线程数（默认 1：每 CPU 小时处理最多；"
                            "0：用尽所有核，单个文件更快）")
    group.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="每次一起解码的 30 秒窗口数（默认 4；0 表示逐段顺序解码）",
    )
    group.add_argument("--pack-limit", type=float, default=None, metavar="SECONDS",
                       help="拼入一个 30 秒窗口的语音上限（默认 28.5）")
    group.add_argument("--pack-gap", type=float, default=None, metavar="SECONDS",
                       help="窗口内相邻语音段之间的静音（默认 0.5）")
    group.add_argument("--fit-windows", action=argparse.BooleanOptionalAction, default=None,
                       help="按拼入的语音长度缩短编码窗口（不短于 --min-window；默认开启，"
                            "--no-fit-windows 总用 30 秒窗口）")
    group.add_argument(
        "--no-pack",
        action="store_true",
        help="不把同一声道的多段语音拼入同一个 30 秒窗口，每段单独解码（更慢）",
    )
    group.add_argument(
        "--min-window",
        type=float,
        default=None,
        metavar="SECONDS",
        help="单独解码一段语音时的编码窗口下限（秒，0–30；默认 CPU 22，GPU 30；越小越快、越不准）",
    )
    group.add_argument(
        "--agent-channel",
        choices=("left", "right"),
        default="left",
        help="立体声录音中坐席所在声道（默认左声道）",
    )
    group.add_argument(
        "--max-duration",
        type=float,
        default=None,
        metavar="SECONDS",
        help="单个录音的最长时长，超过则报错（默认 7200 秒）",
    )
    group.add_argument(
        "--terms",
        type=Path,
        default=None,
        metavar="FILE",
        help="领域词表文件（每行一个词，最重要的在前；默认内置金融词表）",
    )
    group.add_argument(
        "--prompt-chars",
        type=int,
        default=None,
        metavar="N",
        help="提示词（热词）最多字符数，按整词截断（默认 36；越长解码越慢）",
    )


def options_from_args(args: argparse.Namespace) -> dict[str, Any]:
    """`TranscriberOptions` values from the command line."""
    return {
        "model": args.model,
        "device": args.device,
        "compute_type": args.compute_type,
        "beam_size": args.beam_size,
        "cpu_threads": args.threads,
        "retry_beam_size": args.retry_beam_size,
        "batch_size": args.batch_size,
        "pack_limit_s": args.pack_limit,
        "pack_gap_s": args.pack_gap,
        "fit_pack_windows": args.fit_windows,
        "min_window_s": args.min_window,
        "pack_regions": not args.no_pack,
        "agent_channel": args.agent_channel,
        "max_duration_s": args.max_duration,
        "terms_file": args.terms,
        "max_prompt_chars": args.prompt_chars,
    }


def run(args: argparse.Namespace) -> int:
    """Transcribe every file; 0 when all succeeded, 2 when any could not be used. Metadata
    problems and recordings over the length limit are reported before the model loads."""
    try:
        settings = PipelineSettings(redact=not args.no_redact, sentiment_enabled=False,
                                    transcriber=options_from_args(args))
        pipeline = Pipeline.from_settings(settings)
        limit = args.max_duration or DEFAULT_MAX_DURATION_S
        plan = plan_for_files(args.files, metadata_csv=args.metadata, require=args.require_metadata,
                              max_duration_s=limit)
    except (ZhijianError, ValueError) as error:
        sys.stderr.write(f"错误: {error}\n")
        return EXIT_INVALID_INPUT
    for problem in plan.problems:
        sys.stderr.write(f"错误: {problem}\n")
    wanted = [path for path in args.files if path not in plan.refused]
    if wanted and not _load_model(pipeline):
        return EXIT_INVALID_INPUT
    if not pipeline.redacts:
        sys.stderr.write(NOT_REDACTED_NOTICE)
    failed = len(plan.problems)
    failed += sum(not _transcribe_one(pipeline, path, plan.fields.get(path), args) for path in wanted)
    if failed:
        sys.stderr.write(f"{failed} 个问题（共 {len(args.files)} 个文件）\n")
    return EXIT_INVALID_INPUT if failed else EXIT_OK


def _load_model(pipeline: Pipeline) -> bool:
    try:
        pipeline.load_transcriber()
    except ModelLoadError as error:
        sys.stderr.write(f"错误: 无法加载语音识别模型: {error}\n")
        return False
    return True


def _transcribe_one(pipeline: Pipeline, path: Path, recording: RecordingMetadata | None,
                    args: argparse.Namespace) -> bool:
    try:
        with show_progress(path):
            conversation = pipeline.transcribe(path, recording=recording).conversation
    except ZhijianError as error:
        sys.stderr.write(f"错误: {error}\n")
        return False
    text = format_text(conversation) if args.format == "text" else to_json(conversation, args)
    if args.output_dir is None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    else:
        suffix = ".txt" if args.format == "text" else ".json"
        write_atomically(args.output_dir / f"{conversation.id}{suffix}", text + "\n")
    return True


def to_json(conversation: Conversation, args: argparse.Namespace) -> str:
    data = conversation.model_dump(mode="json", exclude_none=True)
    if args.no_words:
        for utterance in data["utterances"]:
            utterance.pop("words", None)
    return json.dumps(data, ensure_ascii=False)


def format_text(conversation: Conversation) -> str:
    """One line per utterance: time span, role in Chinese, text, confidence."""
    note = "（角色为推断，请复核）" if conversation.roles_inferred else ""
    lines = [f"# {conversation.id}{note}"]
    for u in conversation.utterances:
        span = f"{_clock(u.start)}–{_clock(u.end)}"
        lines.append(f"[{span}] {ROLE_NAMES[u.role]}：{u.text}（置信度 {u.confidence:.2f}）")
    return "\n".join(lines)


def _clock(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes):02d}:{rest:05.2f}"


def write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
