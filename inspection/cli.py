"""`zhijian` command line: one subcommand per job, each registered explicitly."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

logger = logging.getLogger("zhijian")

# Feature packages add their own subcommands through a `register(subparsers)` function.
SUBCOMMAND_MODULES = (
    "inspection.inspect_cli",
    "inspection.engine.cli",
    "inspection.transcription.cli",
    "inspection.sentiment.cli",
    "coaching.cli",
    "api.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zhijian",
        description="质检 zhijian：呼叫中心会话全量质检（离线运行）",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="输出详细日志")
    subparsers = parser.add_subparsers(dest="command", metavar="命令", required=True)
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        sys.stderr.write("已中断\n")
        return 130


__all__ = ["build_parser", "main"]

if __name__ == "__main__":
    sys.exit(main())
