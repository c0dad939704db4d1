"""`zhijian users create | list | revoke | rotate`: users and their bearer tokens.

A token is printed once, as the last line, and never again (`list` shows no secret). `revoke`
and `rotate` hold from the service's next request: it reads the user on every request. Each
change is written to the audit log (actor `cli`).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from sqlmodel import Session

from api.runtime import open_database
from api.services.sessions import SessionLimits
from api.services.users import (
    UserListing,
    create_user,
    find_user,
    revoke_user,
    rotate_token,
    user_listings,
)
from api.settings import get_settings
from inspection.commandline import EXIT_OK, SubParsers
from models import User, session_scope
from models.enums import UserRole
from models.queries import append_audit

ACTOR = "cli"


def register_users(subparsers: SubParsers) -> None:
    users = subparsers.add_parser("users", help="用户与令牌管理")
    actions = users.add_subparsers(dest="users_command", metavar="动作", required=True)
    create = actions.add_parser("create", help="创建用户；最后一行输出其令牌")
    create.add_argument("--name", default=None, help="姓名（默认按角色生成）")
    create.add_argument("--role", required=True, choices=[role.value for role in UserRole],
                        help="角色")
    create.add_argument("--agent-id", default=None, help="坐席工号（agent 角色必填）")
    create.add_argument("--team-id", default=None, help="团队（supervisor 角色必填）")
    _expiry_option(create)
    create.set_defaults(func=run_create)
    listing = actions.add_parser("list", help="列出用户（编号、角色、范围、令牌期限与状态；不显示令牌）")
    listing.set_defaults(func=run_list)
    revoke = actions.add_parser("revoke", help="吊销用户：令牌与已登录的会话立即失效")
    revoke.add_argument("user", metavar="NAME|ID", help="用户名或编号（重名时用编号）")
    revoke.set_defaults(func=run_revoke)
    rotate = actions.add_parser(
        "rotate", help="轮换令牌：旧令牌与会话失效，最后一行输出新令牌（也恢复已吊销的用户）")
    rotate.add_argument("user", metavar="NAME|ID", help="用户名或编号（重名时用编号）")
    _expiry_option(rotate)
    rotate.set_defaults(func=run_rotate)


def _expiry_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--expires-days", type=int, default=None, metavar="N",
                        help="令牌 N 天后过期（默认不过期，直到吊销或轮换）")


def run_create(args: argparse.Namespace) -> int:
    with session_scope(open_database(get_settings())) as session:
        user, token = create_user(session, name=args.name or f"{args.role}-user", role=args.role,
                                  agent_id=args.agent_id, team_id=args.team_id,
                                  expires_days=args.expires_days)
        _audit(session, "user.created", user)
    sys.stdout.write(f"已创建用户 #{user.id} {user.name}（{user.role}{_until(user)}）。"
                     f"令牌只显示这一次：\n{token}\n")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    limits = SessionLimits.of(get_settings())
    with session_scope(open_database(get_settings())) as session:
        listings = user_listings(session, idle=limits.idle, absolute=limits.absolute)
    sys.stdout.write("编号\t姓名\t角色\t坐席\t班组\t创建时间\t令牌到期\t状态\t会话数\n")
    sys.stdout.writelines(_listing_line(item) for item in listings)
    return EXIT_OK


def run_revoke(args: argparse.Namespace) -> int:
    with session_scope(open_database(get_settings())) as session:
        user = find_user(session, name_or_id=args.user)
        assert user.id is not None
        revoke_user(session, user_id=user.id)
        _audit(session, "user.revoked", user)
    sys.stdout.write(f"已吊销用户 #{user.id} {user.name}：其令牌与会话从下一个请求起失效\n")
    return EXIT_OK


def run_rotate(args: argparse.Namespace) -> int:
    with session_scope(open_database(get_settings())) as session:
        found = find_user(session, name_or_id=args.user)
        assert found.id is not None
        user, token = rotate_token(session, user_id=found.id, expires_days=args.expires_days)
        _audit(session, "user.token_rotated", user)
    sys.stdout.write(f"已为用户 #{user.id} {user.name} 轮换令牌（旧令牌与会话已失效{_until(user)}）。"
                     f"新令牌只显示这一次：\n{token}\n")
    return EXIT_OK


def _audit(session: Session, action: str, user: User) -> None:
    """Who was changed and how, never the token or its hash."""
    append_audit(session, actor=ACTOR, action=action, entity="user",
                 entity_id=str(user.id), before=None,
                 after={"name": user.name, "role": user.role,
                        "token_expires_at": _time(user.token_expires_at),
                        "revoked_at": _time(user.revoked_at)})


def _until(user: User) -> str:
    return f"，令牌有效至 {_time(user.token_expires_at)}" if user.token_expires_at else ""


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _listing_line(item: UserListing) -> str:
    fields = (f"#{item.id}", item.name, item.role, item.agent_id or "", item.team_id or "",
              _time(item.created_at) or "", _time(item.token_expires_at) or "不过期", item.state,
              str(item.sessions))
    return "\t".join(fields) + "\n"
