"""`zhijian inspect`: inspect conversation files, folders and call recordings."""

from __future__ import annotations

import argparse
import logging
import sys
from functools import cache
from pathlib import Path
from typing import Any

from tqdm import tqdm

from inspection.engine import RuleSet, load_rules
from inspection.errors import ModelLoadError, RuleConfigError, ZhijianError
from inspection.pipeline import AudioLoader, discover, inspect_conversation, is_audio, load_files
from inspection.report import format_summary, format_table, to_json_line
from inspection.types import Conversation, InspectionResult, SentimentAnalyzer

logger = logging.getLogger(__name__)
EXIT_INVALID_INPUT = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "inspect",
        help="质检会话文件（JSON / CSV / 录音）",
        description="质检一个或多个会话文件或目录：JSON、JSON Lines、聊天 CSV 或通话录音。",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="文件或目录")
    parser.add_argument("--rules", type=Path, default=None, metavar="DIR",
                        help="规则目录（默认：内置 rules/）")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="输出格式：table 中文表格（默认），json 每行一个 JSON 对象")
    parser.add_argument("--sentiment-model", default=None, metavar="DIR",
                        help="情绪模型目录（默认：内置模型）")
    parser.add_argument("--no-sentiment", action="store_true",
                        help="不运行情绪模型（情绪类规则不会触发）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        rules = load_rules(args.rules)
        files = discover(args.paths)
    except (RuleConfigError, ZhijianError) as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    sentiment = None
    if not args.no_sentiment:
        from inspection.sentiment import load_default_sentiment

        sentiment = load_default_sentiment(args.sentiment_model)
    audio_loader = _lazy_transcriber() if any(is_audio(p) for p in files) else None
    try:
        return _inspect_files(args, rules, files, sentiment, audio_loader)
    except ModelLoadError as exc:  # e.g. the whisper model directory is unusable
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT


def _inspect_files(args: argparse.Namespace, rules: RuleSet, files: list[Path],
                   sentiment: SentimentAnalyzer | None, audio_loader: AudioLoader | None) -> int:
    failed, results = 0, []
    progress = tqdm(total=len(files), desc="质检", unit="文件", file=sys.stderr,
                    disable=len(files) < 2, leave=False)
    for loaded in load_files(files, audio_loader):
        progress.update(1)
        if loaded.error is not None:
            failed += 1
            progress.write(f"错误: {loaded.error}", file=sys.stderr)
            continue
        for conversation in loaded.conversations:
            try:
                result = inspect_conversation(conversation, rules, sentiment=sentiment)
            except ZhijianError as exc:  # e.g. a rule's regex timed out on this text
                failed += 1
                progress.write(f"错误: {loaded.path}: {conversation.id}: {exc}", file=sys.stderr)
                continue
            results.append(result)
            _emit(conversation, result, args.format)
    progress.close()
    if args.format == "table":
        sys.stdout.write(format_summary(results, failed) + "\n")
    return EXIT_INVALID_INPUT if failed else 0


def _emit(conversation: Conversation, result: InspectionResult, output_format: str) -> None:
    if output_format == "json":
        sys.stdout.write(to_json_line(conversation, result) + "\n")
    else:
        sys.stdout.write(format_table(conversation, result) + "\n\n")
    sys.stdout.flush()


def _lazy_transcriber() -> AudioLoader:
    """Load whisper on the first audio file only."""

    @cache
    def transcriber() -> Any:
        from inspection.transcription import load_transcriber

        return load_transcriber()

    def load(path: Path) -> Conversation:
        conversation: Conversation = transcriber().transcribe(path)
        return conversation

    return load
