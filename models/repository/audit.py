"""The audit log checked against its signed checkpoints, and checkpoints written as it grows.

    verify_audit(session, log) -> AuditVerdict      the chain, then every checkpoint
    write_checkpoint(session, log) -> Checkpoint    sign where the chain ends now
    install_checkpoints(engine, log, every=N)        after a commit that appended an entry,
                                                     checkpoint once N entries have passed

A checkpoint binds the chain up to it: deleting entries it counted (the newest, the newest ten,
all) is *truncation*, and editing one of them — even with every later hash computed again — no
longer gives the signed hash at the checkpoint's count: *rewriting*. Entries newer than the
latest checkpoint are protected by the chain alone (docs/security.md says what that means).
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass

from sqlalchemy import Engine, event
from sqlmodel import Session

from models.audit import APPENDED_KEY, Checkpoint, CheckpointLog
from models.queries import audit_head, walk_audit_chain

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditVerdict:
    """What `verify_audit` found: entries checked, the first entry whose hash breaks the chain,
    any other problem (truncation, rewriting, a damaged checkpoint file), the latest checkpoint."""

    checked: int
    broken_id: int | None = None
    problem: str | None = None
    checkpoint: Checkpoint | None = None
    warnings: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return self.broken_id is None and self.problem is None


def verify_audit(session: Session, log: CheckpointLog) -> AuditVerdict:
    """Check the hash chain, then that it still holds what every checkpoint signed."""
    reading = log.read()
    walk = walk_audit_chain(session, positions=[c.count for c in reading.checkpoints])
    latest = reading.latest
    if walk.broken_id is not None:
        return AuditVerdict(walk.checked, walk.broken_id, checkpoint=latest)
    if reading.problems:
        return AuditVerdict(walk.checked, problem="；".join(reading.problems), checkpoint=latest)
    if latest is not None and walk.checked < latest.count:
        return AuditVerdict(walk.checked, checkpoint=latest, problem=(
            f"审计日志被截断：{latest.at} 的检查点记录了 {latest.count} 条，"
            f"现只有 {walk.checked} 条"))
    for checkpoint in sorted(reading.checkpoints, key=lambda c: c.count):
        if walk.found.get(checkpoint.count) != (checkpoint.last_id, checkpoint.head):
            return AuditVerdict(walk.checked, checkpoint=latest, problem=(
                f"审计日志被改写：前 {checkpoint.count} 条记录与 {checkpoint.at} 的检查点不符"))
    return AuditVerdict(walk.checked, checkpoint=latest, warnings=reading.warnings)


def write_checkpoint(session: Session, log: CheckpointLog) -> Checkpoint:
    """Sign where the chain ends now (callers verify first: a checkpoint vouches for it)."""
    return log.append(audit_head(session))


class AutoCheckpoints:
    """Checkpoints written by whichever process appends: after a commit that appended an
    entry, once `every` entries have passed since the last checkpoint this process knows of.
    (It holds no reference to its engine: `_INSTALLED` keys it weakly, so that an engine no
    one uses any more goes, with its connections.)"""

    def __init__(self, log: CheckpointLog, every: int) -> None:
        self.log, self.every = log, every
        self._last_id: int | None = None
        self._lock = threading.Lock()

    def appended(self, engine: Engine, entry_id: int) -> None:
        with self._lock:
            if self._last_id is None:
                latest = self.log.read().latest
                self._last_id = (latest.last_id or 0) if latest else 0
            if entry_id - self._last_id < self.every:
                return
            with Session(engine) as session:
                checkpoint = write_checkpoint(session, self.log)
            self._last_id = checkpoint.last_id or 0
            logger.info("审计检查点：%d 条，至第 %s 条", checkpoint.count, checkpoint.last_id)


_INSTALLED: weakref.WeakKeyDictionary[Engine, AutoCheckpoints] = weakref.WeakKeyDictionary()
_listening = threading.Lock()


def install_checkpoints(engine: Engine, log: CheckpointLog, *, every: int) -> None:
    """Write checkpoints automatically for the sessions of `engine` (see `AutoCheckpoints`)."""
    with _listening:
        if not _INSTALLED and not event.contains(Session, "after_commit", _after_commit):
            event.listen(Session, "after_commit", _after_commit)
            event.listen(Session, "after_rollback", _after_rollback)
        _INSTALLED[engine] = AutoCheckpoints(log, every)


def _after_commit(session: Session) -> None:
    entry_id = session.info.pop(APPENDED_KEY, None)
    engine = session.bind
    auto = _INSTALLED.get(engine) if entry_id is not None else None  # type: ignore[arg-type]
    if auto is None:
        return
    try:
        auto.appended(engine, entry_id)  # type: ignore[arg-type]
    except Exception:  # committed already: the request stands; the next commit tries again
        logger.exception("写审计检查点失败")


def _after_rollback(session: Session) -> None:
    session.info.pop(APPENDED_KEY, None)
