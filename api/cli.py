"""`zhijian serve`, `zhijian worker`, `zhijian users create`, `zhijian audit verify`.

Registered by the program (`zhijian/cli.py`); each command returns an exit code of
`inspection.commandline`. A `ZhijianError` a command lets through is reported by the program
(exit code 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.demo import load_examples
from api.jobs.worker import start_worker
from api.runtime import open_database
from api.services.users import create_user
from api.settings import get_settings
from inspection.commandline import EXIT_FAILED_CHECKS, EXIT_INVALID_INPUT, EXIT_OK, SubParsers
from models import session_scope
from models.enums import UserRole
from models.queries import verify_audit_chain

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
    serve.set_defaults(func=run_serve)

    worker = subparsers.add_parser("worker", help="启动 Celery 质检 worker（需 ZHIJIAN_BROKER_URL）")
    worker.add_argument("--concurrency", type=int, default=1, help="worker 进程数（默认 1）")
    worker.set_defaults(func=run_worker)

    users = subparsers.add_parser("users", help="用户与令牌管理")
    actions = users.add_subparsers(dest="users_command", metavar="动作", required=True)
    create = actions.add_parser("create", help="创建用户；最后一行输出其令牌")
    create.add_argument("--name", default=None, help="姓名（默认按角色生成）")
    create.add_argument("--role", required=True, choices=[role.value for role in UserRole],
                        help="角色")
    create.add_argument("--agent-id", default=None, help="坐席工号（agent 角色必填）")
    create.add_argument("--team-id", default=None, help="团队（supervisor 角色必填）")
    create.set_defaults(func=run_users_create)

    audit = subparsers.add_parser("audit", help="审计日志")
    audit_actions = audit.add_subparsers(dest="audit_command", metavar="动作", required=True)
    verify = audit_actions.add_parser("verify", help="校验审计日志哈希链是否被篡改")
    verify.set_defaults(func=run_audit_verify)


def run_serve(args: argparse.Namespace) -> int:
    # uvicorn loads only for `zhijian serve`, not for every zhijian command.
    import uvicorn

    settings = get_settings()
    if args.load_examples:
        load_examples(settings, args.load_examples)
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


def run_users_create(args: argparse.Namespace) -> int:
    with session_scope(open_database(get_settings())) as session:
        user, token = create_user(session, name=args.name or f"{args.role}-user", role=args.role,
                                  agent_id=args.agent_id, team_id=args.team_id)
    sys.stdout.write(f"已创建用户 #{user.id} {user.name}（{user.role}）。令牌只显示这一次：\n{token}\n")
    return EXIT_OK


def run_audit_verify(args: argparse.Namespace) -> int:
    with session_scope(open_database(get_settings())) as session:
        checked, broken = verify_audit_chain(session)
    if broken is not None:
        sys.stdout.write(f"审计日志被篡改：第 {broken} 条记录的哈希链断裂（此前 {checked} 条完好）\n")
        return EXIT_FAILED_CHECKS
    sys.stdout.write(f"审计日志完好：{checked} 条记录哈希链校验通过\n")
    return EXIT_OK
