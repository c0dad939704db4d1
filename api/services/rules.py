"""The loaded rule packs as users read them, checking an uploaded pack (its examples run;
audited), each rule's precision from reviews and appeals, and the agreement figures of
`api.services.agreement` (with the alerts they raise).

Versions, dry runs and publishing are in `api.services.rule_versions`; missed findings and
review samples in `api.services.misses`."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session

from api.runtime import Runtime
from api.services.agreement import agreement_table
from inspection.engine import RuleSet
from inspection.engine.examples import run_examples
from inspection.engine.loader import load_rule_files
from inspection.errors import InvalidInputError, RuleConfigError
from inspection.rule_packs import precision_alerts
from models.queries import append_audit, rule_outcomes
from models.repository.agreement import decisions, findings_per_rule, sample_counts
from models.repository.rule_packs import published_version

PACK_SOURCE = "request body"
PACK_NAME = "pack.yaml"  # how messages name the uploaded pack
MAX_PACK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class PackCheck:
    valid: bool
    rules: int = 0
    detail: str | None = None


def rule_summaries(rules: RuleSet) -> list[dict[str, Any]]:
    """Each loaded rule: its header, condition type, pack file and examples."""
    return [
        {"id": rule.id, "version": rule.header.version, "name": rule.header.name,
         "description": rule.header.description, "category": rule.header.category,
         "severity": rule.header.severity, "deduction": rule.header.deduction,
         "veto": rule.header.veto, "type": rule.condition.type, "coaching": rule.header.coaching,
         "source": Path(rule.source).name,
         "examples": rule.header.examples.model_dump(mode="json")}
        for rule in rules.rules
    ]


def check_pack(runtime: Runtime, *, actor: str, body: bytes) -> PackCheck:
    """Load a YAML rule pack and run its examples; a pack that loads is audited."""
    if not body.strip():
        raise InvalidInputError(PACK_SOURCE, "请求体为空：请发送 YAML 规则包")
    if len(body) > MAX_PACK_BYTES:
        raise InvalidInputError(PACK_SOURCE, f"规则包超过 {MAX_PACK_BYTES} 字节")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / PACK_NAME
        path.write_bytes(body)
        try:
            rules = load_rule_files([path])
        except RuleConfigError as exc:
            return PackCheck(valid=False, detail=str(exc).replace(str(path), PACK_NAME))
    failed = [o for o in run_examples(rules) if not o.passed]
    with runtime.session() as session:
        append_audit(session, actor=actor, action="rules.validated", entity="rule_pack",
                     entity_id=",".join(rules.packs), before=None,
                     after={"rules": len(rules.rules), "failed_examples": len(failed)})
    detail = "; ".join(f"{o.rule_id}: {o.example}" for o in failed[:10]) or None
    return PackCheck(valid=not failed, rules=len(rules.rules), detail=detail)


def right_and_decided(outcome: dict[str, Any]) -> tuple[int, int]:
    """(decisions that found the rule right, all decisions): confirmed + appeals upheld, over
    those plus overturned + appeals overturned."""
    right = outcome.get("confirmed", 0) + outcome.get("appeals_upheld", 0)
    return right, right + outcome.get("overturned", 0) + outcome.get("appeals_overturned", 0)


def rule_stats(session: Session) -> list[dict[str, Any]]:
    """Per rule: findings, reviews and appeals, and precision (None before any decision)."""
    stats = []
    for outcome in rule_outcomes(session):
        right, decided = right_and_decided(outcome)
        stats.append({**outcome, "precision": round(right / decided, 4) if decided else None})
    return stats


def rules_by_pack(rules: RuleSet, session: Session) -> dict[str, list[dict[str, Any]]]:
    """Rules grouped by pack file, each with its review/appeal outcomes and precision (%)."""
    outcomes = {row["rule_id"]: row for row in rule_outcomes(session)}
    packs: dict[str, list[dict[str, Any]]] = {}
    for rule in rules.rules:
        stats = outcomes.get(rule.id, {})
        right, decided = right_and_decided(stats)
        packs.setdefault(Path(rule.source).name, []).append({
            "rule": rule, "header": rule.header, "type": rule.condition.type,
            "examples": rule.header.examples.model_dump(mode="json"),
            "findings": stats.get("findings", 0), "right": right, "decided": decided,
            "precision": round(100 * right / decided, 1) if decided else None,
        })
    return packs


def agreement_stats(session: Session, rules: RuleSet, *, now: datetime | None = None
                    ) -> list[dict[str, Any]]:
    """Per rule (the loaded ones, then any other with decisions): the review/appeal counts and
    precision of `rule_stats` plus precision, estimated recall and κ with 95 % intervals, the
    monthly trend and the 30-day precision alert (`api.services.agreement`)."""
    outcomes = {row["rule_id"]: row for row in rule_stats(session)}
    found = decisions(session)
    rule_ids = list(dict.fromkeys([rule.id for rule in rules.rules]
                                  + sorted({d.rule_id for d in found} | outcomes.keys())))
    published = published_version(session)
    thresholds = precision_alerts(rules, published.files) if published else {}
    table = agreement_table(rule_ids, found, findings_per_rule(session), sample_counts(session),
                            thresholds, now or datetime.now(UTC))
    empty = {"findings": 0, "confirmed": 0, "overturned": 0, "appeals_upheld": 0,
             "appeals_overturned": 0, "precision": None}
    return [{**empty, **outcomes.get(str(row["rule_id"]), {}), **row} for row in table]


def precision_alerts_of(stats: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One alert per rule whose last-30-days precision is below its pack's threshold, shaped
    like the coaching alerts of `/api/alerts` (kind `rule_precision`, agent "team")."""
    alerts = []
    for row in stats:
        if not row["alert"]:
            continue
        recent = row["precision_30d"]
        alerts.append({
            "kind": "rule_precision", "agent_id": "team", "metric": row["rule_id"],
            "message": f"规则 {row['rule_id']} 近 30 天精确率 {recent['value']:.0%}"
                       f"（{recent['count']} 次裁决）低于阈值 {row['threshold']:.0%}",
            "days": [], "values": [recent["value"], row["threshold"]], "conversation_ids": []})
    return alerts
