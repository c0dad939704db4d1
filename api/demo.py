"""Ready-to-try services: `zhijian serve --load-demo DIR` (the demo month of `coaching.demo`,
what `make run` loads) and `zhijian serve --load-examples DIR` (the six example conversations).

Loading the demo month, in order, each step idempotent so a second start changes nothing but
the tokens: the teams and agents of roster.json (with names); every conversation, stored
redacted like an upload (a recorded call keeps its audio beside its script, which is its
transcript, so its findings seek into the recording); the tickets; the manually entered
metrics of manual.csv (knowledge-test scores, checked like `POST /api/manual-metrics`); the
inspection of every
conversation not yet inspected, here and now, through the same job as the service's (so the
pages show results on first open); the demo logins — created, or given a new token when they
exist (tokens are shown once, so every start issues and prints fresh ones); and the reviewers'
earlier decisions of reviews.json on findings still pending. Every change is audited
(actor `demo`).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from sqlmodel import Session, col, select

from api.jobs.inspection_job import run_inspection_job
from api.runtime import Runtime, build_runtime
from api.services.access import Principal
from api.services.conversations import store_transcript
from api.services.manual_metrics import parse_manual_csv, store_manual_rows
from api.services.reviews import review_finding
from api.services.users import create_user, rotate_token
from api.settings import Settings
from coaching.demo import DemoFolder, read_demo_folder
from coaching.demo.month import Decision
from coaching.demo.roster import DemoLogin
from coaching.tickets import load_tickets
from inspection.errors import InvalidInputError
from inspection.pipeline import discover, is_audio
from models import Conversation, Finding, User, session_scope
from models.credentials import users_named
from models.enums import UNFINISHED, ReviewState, UserRole
from models.errors import ConflictError
from models.queries import append_audit, ensure_agent, ensure_team
from models.repository import manual_keys_stored, save_tickets, ticket_owners

logger = logging.getLogger(__name__)
ACTOR = "demo"
ROLE_LABELS = {UserRole.QA_REVIEWER: "质检员", UserRole.SUPERVISOR: "班组长", UserRole.AGENT: "坐席",
               UserRole.ADMIN: "管理员"}


@dataclass(frozen=True)
class DemoLoaded:
    """What a load did, and the logins with this start's tokens."""

    stored: int
    inspected: int
    failed: int
    tickets: int
    decisions: int
    logins: tuple[tuple[DemoLogin, str], ...]
    manual: int = 0  # manually entered metric values stored


def load_demo(settings: Settings, folder: Path, *, progress: TextIO = sys.stderr) -> DemoLoaded:
    """Load the demo folder into the service's database (see the module docstring)."""
    demo = read_demo_folder(folder)
    runtime = build_runtime(settings)
    try:
        with runtime.session() as session:
            _roster(session, demo)
            stored = sum(_store_transcripts(session, runtime, demo))
            tickets = _import_tickets(session, demo)
            manual = _import_manual(session, demo)
        inspected, failed = _inspect_pending(runtime, progress)
        with runtime.session() as session:
            logins = tuple(_issue_login(session, login) for login in demo.logins)
            decided = _apply_decisions(session, runtime, demo.decisions, logins)
    finally:
        runtime.engine.dispose()
    return DemoLoaded(stored, inspected, failed, tickets, decided, logins, manual)


def print_demo_logins(loaded: DemoLoaded, url: str, out: TextIO = sys.stderr) -> None:
    """The summary and the logins: role, name, what to open, the token (shown this once)."""
    out.write(f"演示月已就绪：新导入 {loaded.stored} 通会话、{loaded.tickets} 张工单、"
              f"{loaded.manual} 项人工录入指标，本次质检 "
              f"{loaded.inspected} 通（失败 {loaded.failed}），应用复核决定 {loaded.decisions} 条。\n"
              f"打开 {url}/login ，用下面的令牌登录（令牌每次启动重新签发，只显示这一次）：\n")
    for login, token in loaded.logins:
        scope = " · ".join(part for part in (login.team_id, login.agent_id) if part)
        out.write(f"  {ROLE_LABELS[UserRole(login.role)]} {login.name}"
                  f"{f'（{scope}）' if scope else ''}：\n    {token}\n")


def _roster(session: Session, demo: DemoFolder) -> None:
    for team_id in demo.teams:
        ensure_team(session, team_id=team_id)
    for row in demo.agents:
        agent = ensure_agent(session, agent_id=row.id, team_id=row.team_id)
        if agent.name != row.name:
            agent.name = row.name
            session.add(agent)


def _store_transcripts(session: Session, runtime: Runtime, demo: DemoFolder) -> list[bool]:
    """Store every conversation (skipping ids already stored); a call's audio is copied into
    the data directory. Returns whether each was new."""
    created: list[bool] = []
    for path in demo.transcripts:
        for conversation in runtime.pipeline.load_file(path):
            created.append(_store(session, runtime, conversation.model_dump(mode="json"), None))
    for script, audio in demo.calls:
        for conversation in runtime.pipeline.load_file(script):
            created.append(_store(session, runtime, conversation.model_dump(mode="json"), audio))
    return created


def _store(session: Session, runtime: Runtime, data: dict[str, object], audio: Path | None
           ) -> bool:
    try:
        row, created = store_transcript(session, pipeline=runtime.pipeline, data=data)
    except ConflictError:
        logger.warning("演示会话 %s 已存在且内容不同：保留已有的", data.get("id"))
        return False
    if created and audio is not None:
        row.audio_path = str(_keep_audio(audio, runtime.settings.audio_dir))
        session.add(row)
    return created


def _keep_audio(audio: Path, audio_dir: Path) -> Path:
    """A copy in the data directory named by its SHA-256, as uploads are kept."""
    digest = hashlib.sha256(audio.read_bytes()).hexdigest()
    target = audio_dir / f"{digest}{audio.suffix.lower()}"
    if not target.exists():
        audio_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(audio, target)
    return target.resolve()


def _import_tickets(session: Session, demo: DemoFolder) -> int:
    """The tickets, unless all of them are stored already; bad rows are logged and skipped."""
    parsed = load_tickets(demo.tickets)
    for error in parsed.errors:
        logger.warning("演示工单 %s", error)
    ids = [ticket.ticket_id for ticket in parsed.tickets]
    if len(ticket_owners(session, ticket_ids=ids)) == len(ids):
        return 0
    save_tickets(session, tickets=parsed.tickets)
    append_audit(session, actor=ACTOR, action="tickets.imported", entity="tickets",
                 entity_id=str(demo.tickets), before=None,
                 after={"imported": len(ids), "skipped": len(parsed.errors)})
    return len(ids)


def _import_manual(session: Session, demo: DemoFolder) -> int:
    """The manual metrics, unless all of them are stored already (refused whole when bad)."""
    if demo.manual is None:
        return 0
    rows = parse_manual_csv(demo.manual.read_bytes())
    if manual_keys_stored(session, rows=rows) == len(rows):
        return 0
    return len(store_manual_rows(session, rows, actor=ACTOR, source=str(demo.manual)).rows)


def _inspect_pending(runtime: Runtime, progress: TextIO) -> tuple[int, int]:
    """Inspect every conversation not yet inspected, on the service's job threads (they share
    sentiment batches); (inspected, failed)."""
    with runtime.session() as session:
        pending = list(session.exec(select(Conversation.id).where(
            col(Conversation.status).in_(list(UNFINISHED)))))
    if not pending:
        return 0, 0
    progress.write(f"正在质检演示会话 {len(pending)} 通（首次启动需要一两分钟）…\n")
    failed = 0
    with ThreadPoolExecutor(max_workers=runtime.settings.job_workers) as pool:
        for done, ok in enumerate(pool.map(lambda cid: _inspect_one(runtime, cid), pending), 1):
            failed += not ok
            if done % 50 == 0 or done == len(pending):
                progress.write(f"  已质检 {done}/{len(pending)}\n")
    return len(pending) - failed, failed


def _inspect_one(runtime: Runtime, conversation_id: str) -> bool:
    try:
        run_inspection_job(runtime, conversation_id)
    except Exception:  # recorded on the row as `failed` with its error; the load goes on
        logger.exception("演示会话 %s 质检失败", conversation_id)
        return False
    return True


def _issue_login(session: Session, login: DemoLogin) -> tuple[DemoLogin, str]:
    """The demo user with a fresh token (created on the first start)."""
    existing = users_named(session, name=login.name)
    if existing and existing[0].id is not None:
        user, token = rotate_token(session, user_id=existing[0].id)
        action = "user.token_rotated"
    else:
        user, token = create_user(session, name=login.name, role=login.role,
                                  agent_id=login.agent_id, team_id=login.team_id)
        action = "user.created"
    append_audit(session, actor=ACTOR, action=action, entity="user", entity_id=str(user.id),
                 before=None, after={"name": user.name, "role": user.role})
    return login, token


def _apply_decisions(session: Session, runtime: Runtime, decisions: tuple[Decision, ...],
                     logins: tuple[tuple[DemoLogin, str], ...]) -> int:
    """The reviewers' decisions on findings still pending, as the demo reviewer (re-scored
    and audited like any review)."""
    reviewer = next((login for login, _ in logins if login.role == UserRole.QA_REVIEWER), None)
    user = users_named(session, name=reviewer.name)[0] if reviewer else None
    if user is None:
        return 0
    principal = Principal.of(user)
    applied = 0
    for decision in decisions:
        for finding in _pending_findings(session, decision):
            assert finding.id is not None
            review_finding(session, runtime.policy, principal, finding_id=finding.id,
                           decision="confirm" if decision.decision == "confirm" else "overturn",
                           comment=decision.comment)
            applied += 1
    return applied


def _pending_findings(session: Session, decision: Decision) -> list[Finding]:
    return list(session.exec(select(Finding).where(
        Finding.conversation_id == decision.conversation_id,
        Finding.rule_id == decision.rule_id, Finding.review_state == ReviewState.PENDING)))


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
