"""`zhijian serve`, `zhijian worker`, `zhijian users …` (in `api.users_cli`), `zhijian audit …`
(in `api.audit_cli`), `zhijian demo …` (in `api.demo_cli`).

Registered by the program (`zhijian/cli.py`); each command returns an exit code of
`inspection.commandline`. A `ZhijianError` a command lets through is reported by the program
(exit code 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.audit_cli import register_audit
from api.demo import load_demo, load_examples, print_demo_logins
from api.demo_cli import register_demo
from api.jobs.worker import start_worker
from api.runtime import open_database
from api.settings import get_settings
from api.users_cli import register_users
from inspection.commandline import EXIT_INVALID_INPUT, EXIT_OK, SubParsers

APP_FACTORY = "api.http.app:create_app"  # uvicorn imports it in each server process


def register(subparsers: SubParsers) -> None:
    serve = subparsers.add_parser("serve", help="启动质检服务（API）",
                                  description="启动 HTTP 服务；设置见 README 的 ZHIJIAN_* 环境变量。")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    serve.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    serve.add_argument("--workers", type=int, default=1,
                       help="服务进程数（默认 1；每个进程各有自己的质检线程池）")
    serve.add_argument("--load-examples", type=Path, default=None, metavar="DIR",
                       help="启动时导入目录中的示例会话，并创建演示管理员")
    serve.add_argument("--load-demo", type=Path, default=None, metavar="DIR",
                       help="启动前导入并质检演示月（zhijian demo generate 写出的目录，如 examples/demo/），"
                            "打印演示账号的令牌")
    serve.set_defaults(func=run_serve)

    worker = subparsers.add_parser("worker", help="启动 Celery 质检 worker（需 ZHIJIAN_BROKER_URL）")
    worker.add_argument("--concurrency", type=int, default=1, help="worker 进程数（默认 1）")
    worker.set_defaults(func=run_worker)

    register_users(subparsers)  # api/users_cli.py: create, list, revoke, rotate

    register_audit(subparsers)  # api/audit_cli.py: verify, checkpoint, rotate-key

    register_demo(subparsers)  # api/demo_cli.py: generate


def run_serve(args: argparse.Namespace) -> int:
    # uvicorn loads only for `zhijian serve`, not for every zhijian command.
    import uvicorn

    settings = get_settings()
    if args.load_examples:
        load_examples(settings, args.load_examples)
    if args.load_demo:
        print_demo_logins(load_demo(settings, args.load_demo), f"http://{args.host}:{args.port}")
    if args.workers > 1:  # each worker process builds its own app from the environment
        open_database(settings)  # migrate once here, before the workers race to
    uvicorn.run(APP_FACTORY, factory=True, workers=args.workers, host=args.host, port=args.port,
                log_level="info")
    return EXIT_OK


def run_worker(args: argparse.Namespace) -> int:
    settings = get_settings()
    if not settings.broker_url:
        sys.stderr.write("错误: 未设置 ZHIJIAN_BROKER_URL（例如 redis://127.0.0.1:6379/0）\n")
        return EXIT_INVALID_INPUT
    start_worker(settings, concurrency=args.concurrency)
    return EXIT_OK
