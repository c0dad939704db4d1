"""`zhijian audit verify | checkpoint | rotate-key`: the audit log's hash chain checked against
its signed checkpoints, a checkpoint written on demand, the checkpoint key replaced.

Every command verifies first and writes a checkpoint only over an intact log: a checkpoint
vouches for the chain it signs. `verify` writes one too (so running it from cron also moves
the checkpoints forward). Exit codes: 0 intact, 1 tampered (the message says how), 2 a key or
file problem (`AuditKeyError`, reported by the program).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from sqlalchemy import Engine

from api.runtime import audit_checkpoints, open_database
from api.settings import get_settings
from inspection.commandline import EXIT_FAILED_CHECKS, EXIT_OK, SubParsers
from models import session_scope
from models.audit import CheckpointLog
from models.repository.audit import AuditVerdict, verify_audit, write_checkpoint


def register_audit(subparsers: SubParsers) -> None:
    audit = subparsers.add_parser("audit", help="审计日志：校验、检查点、轮换密钥",
                                  description="审计日志是哈希链；带签名的检查点（条数与末条哈希）"
                                              "存于数据库之外，用来发现截断与改写。")
    actions = audit.add_subparsers(dest="audit_command", metavar="动作", required=True)
    verify = actions.add_parser("verify", help="校验哈希链与全部检查点（截断、改写），完好则写入新检查点")
    verify.set_defaults(func=run_audit_verify)
    checkpoint = actions.add_parser("checkpoint", help="校验后立即写入一个检查点")
    checkpoint.set_defaults(func=run_audit_checkpoint)
    rotate = actions.add_parser("rotate-key", help="校验后换用新的检查点签名密钥，并用新密钥写入检查点")
    rotate.set_defaults(func=run_audit_rotate_key)


Action = Callable[[Engine, CheckpointLog, AuditVerdict], None]


def run_audit_verify(args: argparse.Namespace) -> int:
    return _verified_then(_checkpoint_and_report)


def run_audit_checkpoint(args: argparse.Namespace) -> int:
    return _verified_then(_checkpoint_and_report)


def run_audit_rotate_key(args: argparse.Namespace) -> int:
    def rotate(engine: Engine, log: CheckpointLog, verdict: AuditVerdict) -> None:
        log.rotate_key()
        _checkpoint_and_report(engine, log, verdict)
        sys.stdout.write(f"已换用新密钥 {log.key_path}；此前的检查点仍约束哈希链，"
                         "但只有新密钥签名的检查点会校验签名\n")

    return _verified_then(rotate)


def _verified_then(action: Action) -> int:
    """Verify the log; when intact, run `action` and exit 0, else say what is wrong (exit 1)."""
    settings = get_settings()
    engine = open_database(settings)
    log = audit_checkpoints(settings)
    with session_scope(engine) as session:
        verdict = verify_audit(session, log)
    if not verdict.intact:
        sys.stdout.write(_tampered(verdict) + "\n")
        return EXIT_FAILED_CHECKS
    action(engine, log, verdict)
    return EXIT_OK


def _checkpoint_and_report(engine: Engine, log: CheckpointLog, verdict: AuditVerdict) -> None:
    with session_scope(engine) as session:
        written = write_checkpoint(session, log)
    latest = verdict.checkpoint
    against = (f"与检查点一致（{latest.count} 条，{latest.at}）" if latest
               else "尚无检查点（此前的截断无法发现）")
    sys.stdout.write(f"审计日志完好：{verdict.checked} 条记录哈希链校验通过；{against}\n"
                     f"已写入检查点：{written.count} 条，末条哈希 {written.head[:16]}…\n")
    for warning in verdict.warnings:
        sys.stderr.write(f"注意：{warning}\n")


def _tampered(verdict: AuditVerdict) -> str:
    if verdict.broken_id is not None:
        return (f"审计日志被篡改：第 {verdict.broken_id} 条记录的哈希链断裂"
                f"（此前 {verdict.checked} 条完好）")
    return f"审计日志被篡改：{verdict.problem}"
