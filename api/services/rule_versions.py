"""Rule packs as versions in the database: upload a changed pack (validated), dry-run it against
the stored conversations of a period, publish it, roll back.

    upload   ─► the published version's files with the uploaded ones replaced or added; loaded
                and every rule's examples run: a pack that does not load or whose examples fail
                is refused (422, nothing stored); a copy of an existing version is refused (409)
    dry run  ─► the stored `done` conversations of the period inspected with the published and
                with the new version: `inspection.backtest` (the code of `zhijian rules
                backtest`); the diff is kept on the version and audited
    publish  ─► a version that passed its examples and was dry-run (or was published before:
                a rollback) becomes the one new conversations use: one transaction (publication
                row + audit entry), then this process's pipeline is swapped; other processes
                swap on their next job (`Runtime.current_rules`)

A failure anywhere before the commit leaves the published version as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from api.runtime import Runtime
from coaching.periods import DEFAULT_TIMEZONE
from inspection.backtest import backtest, paired_pipelines
from inspection.backtest_report import diff_to_dict, summary_line
from inspection.errors import InvalidInputError
from inspection.rule_packs import check_file_name, check_rule_texts, texts_digest
from models.errors import ConflictError
from models.people import utc_now
from models.queries import append_audit
from models.repository.reinspection import conversation_ids_between, core_conversations
from models.repository.rule_packs import (
    add_publication,
    add_version,
    get_version,
    list_versions,
    published_version,
    ruleset_of,
    was_published,
)
from models.rule_versions import RulePackVersion, RulePublication

logger = logging.getLogger(__name__)
MAX_PACK_BYTES = 1024 * 1024  # one pack file
MAX_DRY_RUN_CONVERSATIONS = 5000
MAX_PERIOD_DAYS = 366
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2999, 12, 31)


def local_period(since: date, until: date) -> tuple[datetime, datetime]:
    """Local days [since, until] (until inclusive) as aware instants [start, end)."""
    for day in (since, until):
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise InvalidInputError("period", f"日期 {day} 超出范围（{EARLIEST_DAY} 至 {LATEST_DAY}）")
    if until < since:
        raise InvalidInputError("period", f"结束日期 {until} 早于开始日期 {since}")
    if (until - since).days >= MAX_PERIOD_DAYS:
        raise InvalidInputError("period", f"周期不能超过 {MAX_PERIOD_DAYS} 天")
    start = datetime.combine(since, time(), DEFAULT_TIMEZONE)
    return start, datetime.combine(until + timedelta(days=1), time(), DEFAULT_TIMEZONE)


def merged_files(base: Mapping[str, str], changes: Mapping[str, str | None]) -> dict[str, str]:
    """`base` with each changed file replaced or added (None removes it)."""
    files = dict(base)
    for name, text in changes.items():
        check_file_name(name)
        if text is None:
            files.pop(name, None)
        elif len(text.encode("utf-8")) > MAX_PACK_BYTES:
            raise InvalidInputError(name, f"规则包超过 {MAX_PACK_BYTES} 字节")
        else:
            files[name] = text
    return files


def upload_version(runtime: Runtime, *, actor: str, changes: Mapping[str, str | None],
                   comment: str, based_on: int | None = None) -> RulePackVersion:
    """A new version: `based_on` (default: the published one) with `changes` applied, loaded
    and its examples passed. `RuleConfigError` / `InvalidInputError` (422) or `ConflictError`
    (409, the same files as version n) and nothing stored otherwise."""
    if not changes:
        raise InvalidInputError("files", "没有上传任何规则包文件")
    with runtime.session() as session:
        base = get_version(session, version=based_on) if based_on else published_version(session)
        assert base is not None  # the first start stored version 1
        files = merged_files(base.files, changes)
        twin = next((v for v in list_versions(session) if v.digest == texts_digest(files)), None)
        if twin is not None:
            raise ConflictError(f"上传的规则包与版本 {twin.version} 完全相同")
        checked = check_rule_texts(files, runtime.pipeline.sentiment)
        if not checked.valid:
            shown = "；".join(checked.failed_examples[:10])
            raise InvalidInputError("rules", f"{len(checked.failed_examples)} 个示例未通过：{shown}")
        row = add_version(session, files=files, created_by=actor, comment=comment,
                          based_on=base.version, rules=len(checked.rules.rules), failed_examples=())
        append_audit(session, actor=actor, action="rules.uploaded", entity="rule_version",
                     entity_id=str(row.version), before={"version": base.version},
                     after={"version": row.version, "files": sorted(changes),
                            "rules": row.rules, "digest": row.digest, "comment": comment})
    return row


def dry_run(runtime: Runtime, *, actor: str, version: int, since: date, until: date
            ) -> dict[str, Any]:
    """The diff of `version` against the published one over the period's stored
    conversations; kept on the version (the latest dry run) and audited."""
    start, end = local_period(since, until)
    pipeline, published = runtime.current_rules()
    with runtime.session() as session:
        row = get_version(session, version=version)
        ids = conversation_ids_between(session, since=start, until=end)
        if len(ids) > MAX_DRY_RUN_CONVERSATIONS:
            raise InvalidInputError("period", f"周期内有 {len(ids)} 通会话，试运行最多 "
                                    f"{MAX_DRY_RUN_CONVERSATIONS} 通：请缩短周期")
        conversations = core_conversations(session, ids=ids)
        candidate = ruleset_of(row)
    before, after = paired_pipelines(pipeline, pipeline.rules, candidate)
    diff = backtest(before, after, conversations)
    record = {"baseline_version": published, "version": version, "since": since.isoformat(),
              "until": until.isoformat(), "summary": summary_line(diff), **diff_to_dict(diff)}
    with runtime.session() as session:
        row = get_version(session, version=version)
        row.dry_run, row.dry_run_at = record, utc_now()
        session.add(row)
        append_audit(session, actor=actor, action="rules.dry_run", entity="rule_version",
                     entity_id=str(version), before=None,
                     after={"baseline_version": published, "since": record["since"],
                            "until": record["until"], "summary": record["summary"]})
    return record


def publish(runtime: Runtime, *, actor: str, version: int, comment: str) -> RulePublication:
    """Make `version` the published one (a rollback when it was published before)."""
    with runtime.session() as session:
        row = get_version(session, version=version)
        current = published_version(session)
        if current is not None and current.version == version:
            raise ConflictError(f"版本 {version} 已是当前发布的版本")
        published_before = was_published(session, version=version)
        if row.dry_run is None and not published_before:
            raise ConflictError(f"版本 {version} 尚未试运行：请先试运行，查看差异后再发布")
        summary = _publication_summary(row, current, rollback=published_before)
        publication = add_publication(session, version=version, published_by=actor,
                                      comment=comment, summary=summary)
        append_audit(session, actor=actor, action="rules.published", entity="rule_version",
                     entity_id=str(version),
                     before={"version": current.version if current else None},
                     after={"version": version, "comment": comment, **summary})
        rules = ruleset_of(row)
    runtime.use_rules(rules, version)  # committed: this process runs it from now on
    return publication


def _publication_summary(row: RulePackVersion, current: RulePackVersion | None, *,
                         rollback: bool) -> dict[str, Any]:
    """What the publication records: from which version, and the dry run's headline."""
    dry = row.dry_run or {}
    return {"from_version": current.version if current else None, "rollback": rollback,
            "dry_run": {key: dry.get(key) for key in ("since", "until", "summary",
                                                       "baseline_version", "changed_rules",
                                                       "agents_affected", "conversations")}
            if dry else None}
