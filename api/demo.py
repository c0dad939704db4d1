"""`zhijian serve --load-examples DIR`: a ready-to-try service with the bundled examples."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from sqlmodel import select

from api.runtime import build_runtime
from api.services.conversations import store_transcript
from api.services.users import create_user
from api.settings import Settings
from inspection.errors import InvalidInputError
from inspection.pipeline import discover, is_audio
from models import User, session_scope
from models.enums import UserRole
from models.errors import ConflictError

logger = logging.getLogger(__name__)


def load_examples(settings: Settings, folder: Path) -> None:
    """Store every example conversation (idempotent: ones already stored are skipped; a file
    that cannot be read is logged and skipped) and print a demo admin token once."""
    runtime = build_runtime(settings)
    stored = 0
    with session_scope(runtime.engine) as session:
        for path in discover([folder]):
            if is_audio(path):
                continue
            try:
                conversations = runtime.pipeline.load_file(path)
            except InvalidInputError as exc:
                logger.warning("跳过示例文件 %s", exc)
                continue
            for conversation in conversations:
                try:
                    _, created = store_transcript(session, pipeline=runtime.pipeline,
                                                  data=conversation.model_dump(mode="json"))
                except ConflictError:
                    continue
                stored += created
        has_admin = session.exec(select(User).where(User.role == UserRole.ADMIN)).first()
        token = None if has_admin else create_user(session, name="演示管理员", role=UserRole.ADMIN)[1]
    runtime.engine.dispose()
    sys.stderr.write(f"已导入 {stored} 通示例会话（来自 {folder}），启动后自动质检。\n")
    if token:
        sys.stderr.write(f"演示管理员令牌（只显示这一次）：\n{token}\n")
