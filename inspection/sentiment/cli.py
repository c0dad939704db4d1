"""`zhijian sentiment [FILE]`: one text per line in, one JSON line {"text","label","score"} out."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TextIO

from inspection.commandline import EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from inspection.errors import ZhijianError
from inspection.sentiment.classifier import load_sentiment_model
from inspection.sentiment.lexicon import LexiconSentiment
from inspection.types import SentimentAnalyzer, SentimentResult

CHUNK_LINES = 256


def register(subparsers: SubParsers) -> None:
    """Add the `sentiment` subcommand to the `zhijian` parser."""
    parser = subparsers.add_parser(
        "sentiment",
        help="逐行情绪分析（negative / neutral / positive）",
        description=(
            "逐行读取文本（文件或标准输入），每行输出一个 JSON："
            '{"text", "label", "score"}。score 为正面程度 P(positive) + ½·P(neutral)（中性约 0.5）：'
            "label 为 positive 时 score ≥ 0.5，negative 时 score ≤ 0.5，与规则的阈值同一刻度。"
        ),
    )
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE", help="文本文件（默认：标准输入）")
    parser.add_argument(
        "--model", default=None, metavar="DIR",
        help="情绪模型目录（默认：内置模型）；或 m3e-small：可选模型，仅限非商业研究用途"
             "（non-commercial research only），先运行 `make m3e-small`")
    parser.add_argument("--lexicon", action="store_true", help="使用词典方法（不加载模型，更快）")
    parser.add_argument("--threads", type=int, default=None, help="推理线程数")
    parser.add_argument("--batch-size", type=int, default=64, help="批大小（默认 64）")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Analyse every line of the input; exit 2 when the file or the model cannot be used."""
    if not args.lexicon:
        # transformers (heavy) is imported only when a model is loaded: --lexicon never needs it.
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
    try:
        analyzer: SentimentAnalyzer = (
            LexiconSentiment()
            if args.lexicon
            else load_sentiment_model(args.model, threads=args.threads, batch_size=args.batch_size)
        )
        with _open_input(args.file) as lines:
            for chunk in _chunks(lines, CHUNK_LINES):
                _write(chunk, analyzer.predict(chunk), sys.stdout)
    except ZhijianError as error:
        sys.stderr.write(f"错误: {error}\n")
        return EXIT_INVALID_INPUT
    except (OSError, UnicodeDecodeError) as error:
        sys.stderr.write(f"错误: 无法读取 {args.file or '标准输入'}：{error}\n")
        return EXIT_INVALID_INPUT
    return EXIT_OK


def _open_input(path: Path | None) -> AbstractContextManager[TextIO]:
    if path is None:
        return nullcontext(sys.stdin)
    return path.open(encoding="utf-8-sig")


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for line in lines:
        chunk.append(line.rstrip("\r\n"))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write(texts: list[str], results: list[SentimentResult], out: TextIO) -> None:
    for text, result in zip(texts, results, strict=True):
        record = {"text": text, "label": result.label, "score": round(result.score, 4)}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()
