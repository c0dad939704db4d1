"""The audit log: every score change, review, appeal decision and rule-pack change.

Entries are hash-chained: each stores the hash of the previous one, so editing or deleting
any entry breaks every hash after it (`zhijian audit verify`). A chain alone cannot show that
its newest entries were deleted, or that someone with the database rewrote a row and computed
every later hash again; so checkpoints — the number of entries and the newest one's hash,
signed with HMAC-SHA256 under a key that lives outside the database — are appended to a file
beside the data (`CheckpointLog`), and `verify` checks the chain against every one of them.
What this does and does not protect against is in docs/security.md ("Audit log").
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import stat
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from inspection.errors import ZhijianError
from models.people import utc_now

GENESIS_HASH = "0" * 64
APPENDED_KEY = "zhijian.audit_appended"  # Session.info: the id of the last entry appended


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=50, index=True)
    entity: str = Field(max_length=50)
    entity_id: str = Field(max_length=200, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(max_length=64, unique=True)
    hash: str = Field(max_length=64, unique=True)


def entry_digest(entry: AuditEntry) -> str:
    """The hash of an entry's content and its predecessor's hash."""
    payload = json.dumps(
        {
            "at": entry.at.replace(tzinfo=None).isoformat(timespec="microseconds"),
            "actor": entry.actor,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "before": entry.before,
            "after": entry.after,
            "prev_hash": entry.prev_hash,
        },
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditKeyError(ZhijianError):
    """The checkpoint key file is missing, unreadable or readable by others."""


@dataclass(frozen=True)
class AuditHead:
    """How long the chain is and where it ends (`last_id` None and GENESIS_HASH: empty)."""

    count: int
    last_id: int | None
    hash: str


@dataclass(frozen=True)
class ChainWalk:
    """A pass over the chain: entries checked, the first broken entry's id (None: intact), and
    the (id, hash) found at each entry count asked for."""

    checked: int
    broken_id: int | None
    found: dict[int, tuple[int | None, str]]


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: at `at`, the chain held `count` entries ending in `head`."""

    count: int
    last_id: int | None
    head: str
    at: str
    key_id: str
    mac: str = ""

    def signed_part(self) -> bytes:
        fields = {**asdict(self)}
        fields.pop("mac")
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class CheckpointReading:
    """The checkpoints of a log, what is wrong with the file (empty: nothing), and what an
    operator should fix that is no sign of tampering."""

    checkpoints: tuple[Checkpoint, ...]
    problems: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    @property
    def latest(self) -> Checkpoint | None:
        return max(self.checkpoints, key=lambda c: c.count, default=None)


class CheckpointLog:
    """Signed checkpoints, one JSON object a line, appended (never rewritten) to `path`;
    the HMAC key in `key_path` (created 0600 on first use, refused when others can read it).

    Lines signed with another key (before a rotation) still bind the chain — a forged one can
    only raise a false alarm, never hide a change — but only the current key's are checked."""

    def __init__(self, path: Path, key_path: Path) -> None:
        self.path = path
        self.key_path = key_path

    def append(self, head: AuditHead) -> Checkpoint:
        key = self._key(create=True)
        assert key is not None
        unsigned = Checkpoint(count=head.count, last_id=head.last_id, head=head.hash,
                              at=utc_now().isoformat(timespec="seconds"), key_id=_key_id(key))
        signed = Checkpoint(**{**asdict(unsigned), "mac": _mac(key, unsigned)})
        line = json.dumps(asdict(signed), sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # several processes may checkpoint at once
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        return signed

    def read(self) -> CheckpointReading:
        """Every checkpoint line, each checked against the current key when it was signed
        with it. A missing file is fine until a key exists (the first checkpoint makes both)."""
        if not self.path.exists():
            missing = (f"检查点文件 {self.path} 不存在，但签名密钥已存在：检查点被删除？",)
            return CheckpointReading((), missing if self.key_path.exists() else ())
        key = self._key(create=False)
        checkpoints, problems = [], []
        signed_with_current, stale_line = False, None
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            checkpoint = _parse(line)
            if checkpoint is None:
                problems.append(f"检查点文件第 {number} 行无法解析")
                continue
            if key is None:
                problems.append(f"签名密钥 {self.key_path} 不存在：无法校验检查点")
                break
            current = checkpoint.key_id == _key_id(key)
            if current and not hmac.compare_digest(checkpoint.mac, _mac(key, checkpoint)):
                problems.append(f"检查点文件第 {number} 行签名无效（被改写？）")
                continue
            stale_line = number if signed_with_current and not current else None
            signed_with_current = signed_with_current or current
            checkpoints.append(checkpoint)
        warnings = () if stale_line is None else (  # the newest line: an old key still signs
            f"检查点文件第 {stale_line} 行用旧密钥签名（在换用新密钥之后）："
            "请把新密钥复制到每台写审计日志的机器",)
        return CheckpointReading(tuple(checkpoints), tuple(problems), warnings)

    def rotate_key(self) -> None:
        """Replace the key with a new random one (atomically; the old one is gone)."""
        fresh = self.key_path.with_name(self.key_path.name + ".new")
        fresh.unlink(missing_ok=True)
        _write_key(fresh)
        os.replace(fresh, self.key_path)

    def _key(self, *, create: bool) -> bytes | None:
        if not self.key_path.exists():
            if not create:
                return None
            with contextlib.suppress(FileExistsError):  # another process made it first
                _write_key(self.key_path)
        mode = stat.S_IMODE(self.key_path.stat().st_mode)
        if mode & 0o077:
            raise AuditKeyError(f"审计签名密钥 {self.key_path} 权限过宽（{mode:o}）："
                                f"请执行 chmod 600 {self.key_path}")
        try:
            return bytes.fromhex(self.key_path.read_text(encoding="ascii").strip())
        except (OSError, ValueError) as exc:
            raise AuditKeyError(f"审计签名密钥 {self.key_path} 无法读取：{exc}") from None


def _parse(line: str) -> Checkpoint | None:
    try:
        checkpoint = Checkpoint(**json.loads(line))
    except (ValueError, TypeError):
        return None
    typed = (isinstance(checkpoint.count, int) and isinstance(checkpoint.head, str)
             and isinstance(checkpoint.mac, str) and isinstance(checkpoint.key_id, str)
             and (checkpoint.last_id is None or isinstance(checkpoint.last_id, int)))
    return checkpoint if typed else None


def _write_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def _mac(key: bytes, checkpoint: Checkpoint) -> str:
    return hmac.new(key, checkpoint.signed_part(), hashlib.sha256).hexdigest()
