"""`zhijian` command line: one subcommand (or group) per package, listed explicitly below.

Each module in `SUBCOMMAND_MODULES` has `register(subparsers: SubParsers) -> None`, which adds
its subcommands and sets `func(args) -> exit code` on each. Exit codes are those of
`inspection.commandline`: 0 success, 1 failed checks, 2 invalid input. A `ZhijianError` that a
command lets through is reported here, in one place, as invalid input.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from api import cli as service_cli
from coaching import cli as coaching_cli
from inspection import inspect_cli
from inspection.commandline import EXIT_INTERRUPTED, EXIT_INVALID_INPUT
from inspection.engine import cli as rules_cli
from inspection.errors import ZhijianError
from inspection.sentiment import cli as sentiment_cli
from inspection.transcription import cli as transcription_cli

logger = logging.getLogger("zhijian")

SUBCOMMAND_MODULES = (
    inspect_cli,         # inspect
    rules_cli,           # rules check
    transcription_cli,   # transcribe
    sentiment_cli,       # sentiment
    coaching_cli,        # metrics, scorecard, coach
    service_cli,         # serve, worker, users, audit
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhijian",
        description="质检 zhijian：呼叫中心会话全量质检（离线运行）",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="输出详细日志")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", required=True)
    for module in SUBCOMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except ZhijianError as exc:
        sys.stderr.write(f"错误: {exc}\n")
        return EXIT_INVALID_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("已中断\n")
        return EXIT_INTERRUPTED


__all__ = ["SUBCOMMAND_MODULES", "build_parser", "main"]
