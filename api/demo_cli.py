"""`zhijian demo generate --out DIR`: write the demo month as files a user can read (the
committed copy is `examples/demo/`, which `make run` loads with `zhijian serve --load-demo`)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from coaching.demo import ANCHOR_MONTH, DEFAULT_SEED, generate_demo_month, write_demo_month
from inspection.commandline import EXIT_INVALID_INPUT, EXIT_OK, SubParsers


def register_demo(subparsers: SubParsers) -> None:
    demo = subparsers.add_parser("demo", help="演示月：生成演示数据（make run 导入 examples/demo/）")
    actions = demo.add_subparsers(dest="demo_command", metavar="动作", required=True)
    generate = actions.add_parser(
        "generate", help="把演示月写成文件：会话、工单、名册、复核决定（录音由 make demo-audio 合成）",
        description="生成一个呼叫中心三个月的演示数据（三个班组、15 名坐席），同样的参数总是生成同样的文件。")
    generate.add_argument("--out", type=Path, required=True, metavar="DIR", help="输出目录")
    generate.add_argument("--month", default=f"{ANCHOR_MONTH:%Y-%m}", metavar="YYYY-MM",
                          help=f"演示的当前月（默认 {ANCHOR_MONTH:%Y-%m}，即 examples/demo/）；"
                               "另加之前两个月")
    generate.add_argument("--seed", type=int, default=DEFAULT_SEED,
                          help=f"随机种子（默认 {DEFAULT_SEED}）")
    generate.set_defaults(func=run_generate)


def run_generate(args: argparse.Namespace) -> int:
    try:
        month = date.fromisoformat(f"{args.month}-01")
    except ValueError:
        sys.stderr.write(f"错误: --month 应为 YYYY-MM，而不是 {args.month!r}\n")
        return EXIT_INVALID_INPUT
    demo = generate_demo_month(month, args.seed)
    written = write_demo_month(demo, args.out)
    sys.stdout.write(
        f"已写入 {len(written)} 个文件到 {args.out}：{len(demo.transcripts) + len(demo.recorded)} "
        f"通会话、{len(demo.tickets)} 张工单（{demo.month_starts()[0]:%Y-%m} 至 {demo.month:%Y-%m}）。\n"
        f"录音（calls/*.flac）由 make demo-audio 合成；没有录音时这些通话按转写导入。\n")
    return EXIT_OK
