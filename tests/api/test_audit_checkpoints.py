"""The audit log against its signed checkpoints (issue 15 item 14): deleting the newest entry,
the newest ten or every entry, and rewriting a row with every later hash computed again, are
all found; the checkpoint file and key are checked too; checkpoints are written automatically
and on demand (`zhijian audit checkpoint`), and the key can be rotated."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, delete, select

from api.runtime import audit_checkpoints, open_database
from api.settings import Settings
from models import AuditEntry, session_scope
from models.audit import GENESIS_HASH, AuditKeyError, CheckpointLog, entry_digest
from models.queries import append_audit
from models.repository.audit import verify_audit, write_checkpoint


def _settings(tmp_path: Path, every: int = 1000) -> Settings:
    return Settings(data_dir=tmp_path, sentiment_enabled=False, audit_checkpoint_every=every)


def _append(engine: Engine, count: int) -> None:
    for number in range(count):
        with session_scope(engine) as session:
            append_audit(session, actor="qa:test#1", action="conversation.rescored",
                         entity="conversation", entity_id=f"c-{number}", before=None,
                         after={"score": number})


def _checkpointed_log(tmp_path: Path, entries: int = 30) -> tuple[Engine, CheckpointLog]:
    settings = _settings(tmp_path)
    engine = open_database(settings)
    _append(engine, entries)
    log = audit_checkpoints(settings)
    with session_scope(engine) as session:
        write_checkpoint(session, log)
    return engine, log


def _verdict_problem(engine: Engine, log: CheckpointLog) -> str | None:
    with session_scope(engine) as session:
        verdict = verify_audit(session, log)
    if verdict.broken_id is not None:
        return f"broken at {verdict.broken_id}"
    return verdict.problem


def _delete_newest(count: int | None) -> Callable[[Session], None]:
    def tamper(session: Session) -> None:
        ids = session.exec(select(AuditEntry.id).order_by(col(AuditEntry.id).desc())).all()
        doomed = ids if count is None else ids[:count]
        session.exec(delete(AuditEntry).where(col(AuditEntry.id).in_(doomed)))  # type: ignore[call-overload]

    return tamper


def _rewrite_and_rechain(session: Session) -> None:
    """Edit entry 5 and recompute every hash after it, as a database admin could."""
    previous = GENESIS_HASH
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all():
        if entry.id == 5:
            entry.after = {"score": 100}
        entry.prev_hash = f"tmp-{entry.id}"  # the unique constraint holds while re-chaining
        entry.hash = f"tmp-h-{entry.id}"
        session.add(entry)
    session.flush()
    for entry in session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all():
        entry.prev_hash = previous
        entry.hash = entry_digest(entry)
        previous = entry.hash
        session.add(entry)


@pytest.mark.parametrize(("tamper", "expected"), [
    (_delete_newest(1), "截断"),
    (_delete_newest(10), "截断"),
    (_delete_newest(None), "截断"),
    (_rewrite_and_rechain, "改写"),
])
def test_truncation_and_rewriting_are_found(tmp_path: Path, tamper: Callable[[Session], None],
                                            expected: str) -> None:
    engine, log = _checkpointed_log(tmp_path)
    assert _verdict_problem(engine, log) is None
    with session_scope(engine) as session:
        tamper(session)
    problem = _verdict_problem(engine, log)
    assert problem is not None and expected in problem


def test_entries_after_the_latest_checkpoint_are_not_held_to_it(tmp_path: Path) -> None:
    engine, log = _checkpointed_log(tmp_path, entries=10)
    _append(engine, 5)
    assert _verdict_problem(engine, log) is None


def test_a_forged_or_damaged_checkpoint_file_is_found(tmp_path: Path) -> None:
    engine, log = _checkpointed_log(tmp_path)
    line = json.loads(log.path.read_text(encoding="utf-8").splitlines()[-1])
    log.path.write_text(json.dumps({**line, "count": 5}) + "\n", encoding="utf-8")
    problem = _verdict_problem(engine, log)
    assert problem is not None and "签名无效" in problem
    log.path.unlink()
    problem = _verdict_problem(engine, log)
    assert problem is not None and "不存在" in problem


def test_the_key_is_private_and_refused_when_others_can_read_it(tmp_path: Path) -> None:
    engine, log = _checkpointed_log(tmp_path)
    assert stat.S_IMODE(log.key_path.stat().st_mode) == 0o600
    os.chmod(log.key_path, 0o644)
    with pytest.raises(AuditKeyError, match="chmod 600"), session_scope(engine) as session:
        verify_audit(session, log)


def test_checkpoints_are_written_automatically_every_n_entries(tmp_path: Path) -> None:
    settings = _settings(tmp_path, every=10)
    engine = open_database(settings)
    _append(engine, 25)
    log = audit_checkpoints(settings)
    counts = [c.count for c in log.read().checkpoints]
    assert counts == [10, 20]
    with session_scope(engine) as session:
        _delete_newest(6)(session)  # back to 19 entries: below the checkpoint of 20
    problem = _verdict_problem(engine, log)
    assert problem is not None and "截断" in problem


def test_rotating_the_key_keeps_the_chain_bound(tmp_path: Path) -> None:
    engine, log = _checkpointed_log(tmp_path)
    old_key = log.key_path.read_text(encoding="ascii")
    log.rotate_key()
    assert log.key_path.read_text(encoding="ascii") != old_key
    assert stat.S_IMODE(log.key_path.stat().st_mode) == 0o600
    with session_scope(engine) as session:
        write_checkpoint(session, log)
    assert _verdict_problem(engine, log) is None
    with session_scope(engine) as session:
        _delete_newest(1)(session)
    assert "截断" in (_verdict_problem(engine, log) or "")


def test_a_process_still_signing_with_the_old_key_is_a_warning(tmp_path: Path) -> None:
    engine, log = _checkpointed_log(tmp_path)
    stale_key = tmp_path / "stale.key"
    stale_key.write_bytes(log.key_path.read_bytes())
    os.chmod(stale_key, 0o600)
    log.rotate_key()
    with session_scope(engine) as session:
        write_checkpoint(session, log)
        write_checkpoint(session, CheckpointLog(log.path, stale_key))
        verdict = verify_audit(session, log)
    assert verdict.intact and "旧密钥" in verdict.warnings[0]


def _zhijian(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZHIJIAN_DATA_DIR": str(data_dir), "ZHIJIAN_SENTIMENT_ENABLED": "false"}
    return subprocess.run([sys.executable, "-m", "zhijian", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_commands_checkpoint_and_find_truncation(tmp_path: Path) -> None:
    engine = open_database(_settings(tmp_path))
    _append(engine, 12)
    written = _zhijian(tmp_path, "audit", "checkpoint")
    assert written.returncode == 0, written.stderr
    assert "12 条" in written.stdout and "已写入检查点" in written.stdout
    with session_scope(engine) as session:
        _delete_newest(1)(session)
    tampered = _zhijian(tmp_path, "audit", "verify")
    assert tampered.returncode == 1 and "截断" in tampered.stdout
    refused = _zhijian(tmp_path, "audit", "checkpoint")
    assert refused.returncode == 1 and "截断" in refused.stdout
    rotated = _zhijian(tmp_path, "audit", "rotate-key")
    assert rotated.returncode == 1  # never over a tampered log
