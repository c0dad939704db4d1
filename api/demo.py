"""`zhijian serve --load-examples DIR`: a ready-to-try service with the bundled examples."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from sqlmodel import select

from api.auth import create_user
from api.ingest import store_transcript
from api.services import build_services
from api.settings import Settings
from inspection.errors import ConflictError
from inspection.pipeline import discover, is_audio, load_files
from models import User, session_scope

logger = logging.getLogger(__name__)


def load_examples(settings: Settings, folder: Path) -> None:
    """Store every example conversation (idempotent) and print a demo admin token once."""
    services = build_services(settings)
    stored = 0
    with session_scope(services.engine) as session:
        for loaded in load_files([p for p in discover([folder]) if not is_audio(p)]):
            for conversation in loaded.conversations:
                try:
                    _, created = store_transcript(session, data=conversation.model_dump(mode="json"))
                except ConflictError:
                    continue
                stored += created
        has_admin = session.exec(select(User).where(User.role == "admin")).first() is not None
        token = None
        if not has_admin:
            _, token = create_user(session, name="演示管理员", role="admin")
    sys.stderr.write(f"已导入 {stored} 通示例会话（来自 {folder}），启动后自动质检。\n")
    if token:
        sys.stderr.write(f"演示管理员令牌（只显示这一次）：\n{token}\n")
