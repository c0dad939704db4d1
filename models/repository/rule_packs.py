"""Rule-pack versions and publications in rows, and a stored version as the core's `RuleSet`.

The published version is the one of the newest publication. Functions flush but never commit:
a publication, its audit entry and the caller's other writes go in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from inspection.engine import RuleSet
from inspection.rule_packs import RuleTexts, load_rule_texts, texts_digest
from models.errors import NotFoundError
from models.rule_versions import RulePackVersion, RulePublication

SYSTEM_ACTOR = "system"
VERSION_LOCK = 7428  # serialises version numbering on PostgreSQL (7427 is the audit chain's)


def latest_publication(session: Session) -> RulePublication | None:
    query = select(RulePublication).order_by(col(RulePublication.id).desc()).limit(1)
    return session.exec(query).first()


def published_version_number(session: Session) -> int | None:
    """The published version's number (one indexed read: every job asks)."""
    query = select(RulePublication.version).order_by(col(RulePublication.id).desc()).limit(1)
    number: int | None = session.exec(query).first()
    return number


def get_version(session: Session, *, version: int) -> RulePackVersion:
    row = session.get(RulePackVersion, version)
    if row is None:
        raise NotFoundError(f"规则版本 {version} 不存在")
    return row


def published_version(session: Session) -> RulePackVersion | None:
    number = published_version_number(session)
    return None if number is None else get_version(session, version=number)


def list_versions(session: Session) -> list[RulePackVersion]:
    query = select(RulePackVersion).order_by(col(RulePackVersion.version).desc())
    return list(session.exec(query))


def list_publications(session: Session, *, limit: int = 50) -> list[RulePublication]:
    query = select(RulePublication).order_by(col(RulePublication.id).desc()).limit(limit)
    return list(session.exec(query))


def was_published(session: Session, *, version: int) -> bool:
    query = select(RulePublication.id).where(RulePublication.version == version).limit(1)
    return session.exec(query).first() is not None


def add_version(session: Session, *, files: RuleTexts, created_by: str, comment: str,
                based_on: int | None, rules: int, failed_examples: Sequence[str]
                ) -> RulePackVersion:
    """A new version numbered after the newest one."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text(f"SELECT pg_advisory_xact_lock({VERSION_LOCK})"))  # type: ignore[call-overload]
    newest = session.exec(select(func.max(RulePackVersion.version))).one()
    row = RulePackVersion(version=(newest or 0) + 1, files=dict(files), digest=texts_digest(files),
                          based_on=based_on, comment=comment, created_by=created_by, rules=rules,
                          failed_examples=list(failed_examples))
    session.add(row)
    session.flush()
    return row


def add_publication(session: Session, *, version: int, published_by: str, comment: str,
                    summary: dict[str, Any]) -> RulePublication:
    previous = published_version_number(session)
    row = RulePublication(version=version, previous_version=previous, published_by=published_by,
                          comment=comment, summary=summary)
    session.add(row)
    session.flush()
    return row


def ensure_first_version(session: Session, *, files: RuleTexts, rules: int) -> RulePackVersion:
    """The published version; at the very first start, the packs found on disk become version
    1, published by the system."""
    published = published_version(session)
    if published is not None:
        return published
    first = add_version(session, files=files, created_by=SYSTEM_ACTOR, rules=rules,
                        comment="首次启动时的规则包（内置或 ZHIJIAN_RULES_DIR）", based_on=None,
                        failed_examples=())
    add_publication(session, version=first.version, published_by=SYSTEM_ACTOR,
                    comment="首次启动", summary={})
    return first


def ruleset_of(version: RulePackVersion) -> RuleSet:
    """The stored version's packs loaded (`RuleConfigError` if a stored text no longer loads,
    e.g. after an engine upgrade removed a condition type)."""
    return load_rule_texts(version.files)
