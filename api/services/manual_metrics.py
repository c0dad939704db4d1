"""Manually entered metrics (人工录入指标): values our data cannot supply — a knowledge test
score, a CES survey … — imported as CSV `agent_id,period,metric,value[,comment]` by a reviewer
or a supervisor, stored per agent, period and metric, and read by every scorecard.

Unlike the ticket import, a file with any bad row is refused whole (422 naming each line and
problem) and nothing is written: these are a handful of figures someone typed, better fixed and
sent again than half kept. A supervisor enters values only for agents of their own team; an
agent outside it reads as unknown (no existence leak). Comments are free text: redacted before
storage. Every import is audited (who, how many values, which agents, periods and metrics).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from sqlmodel import Session, select

from api.runtime import Runtime
from api.services.access import Principal
from api.services.uploads import csv_upload_text
from coaching.dictionary import load_metric_dictionary
from coaching.manual import COLUMNS, ManualRow, parse_manual_rows
from coaching.periods import parse_period
from coaching.tickets import RowError
from inspection.errors import InvalidInputError
from inspection.redaction import redact_text
from models import Agent
from models.enums import REVIEWERS
from models.page_queries import list_agents
from models.queries import append_audit
from models.repository import StoredManualValue, manual_values, save_manual_values

MANUAL_SOURCE = "manual.csv"
MAX_MANUAL_BYTES = 2 * 1024 * 1024
MAX_COMMENT = 500
ERRORS_SHOWN = 20


@dataclass(frozen=True)
class ManualReport:
    """What an import stored."""

    rows: tuple[ManualRow, ...]

    @property
    def agents(self) -> list[str]:
        return sorted({row.agent_id for row in self.rows})


def import_manual_metrics(runtime: Runtime, principal: Principal, body: bytes) -> ManualReport:
    """Check, parse, scope, redact and store an uploaded manual-input CSV, audited, in one
    transaction; `InvalidInputError` (nothing written) when any row is bad."""
    rows = parse_manual_csv(body)
    with runtime.session() as session:
        _refuse(_out_of_scope(session, principal, rows))
        return store_manual_rows(session, rows, actor=principal.actor)


def store_manual_rows(session: Session, rows: list[ManualRow], *, actor: str,
                      source: str = MANUAL_SOURCE) -> ManualReport:
    """Redact the rows' comments, store them (replacing the same agent/period/metric) and audit
    the import (who, how many values, which agents, periods and metrics)."""
    kept = redacted(rows)
    save_manual_values(session, rows=kept, entered_by=actor)
    report = ManualReport(tuple(kept))
    append_audit(session, actor=actor, action="manual_metrics.imported", entity="manual_metrics",
                 entity_id=source, before=None,
                 after={"values": len(kept), "agents": report.agents,
                        "periods": sorted({row.period for row in kept}),
                        "metrics": sorted({row.metric for row in kept})})
    return report


def redacted(rows: list[ManualRow]) -> list[ManualRow]:
    """The rows with their free-text comments redacted (what is stored)."""
    return [replace(row, comment=redact_text(row.comment)[0]) for row in rows]


def parse_manual_csv(body: bytes) -> list[ManualRow]:
    """The rows of an uploaded CSV; `InvalidInputError` naming every bad line (no database)."""
    text = csv_upload_text(body, source=MANUAL_SOURCE, limit=MAX_MANUAL_BYTES, what="人工录入文件")
    reader = csv.DictReader(io.StringIO(text), strict=True)
    try:
        fields = {(name or "").strip() for name in reader.fieldnames or ()}
        if missing := [column for column in COLUMNS if column not in fields]:
            raise InvalidInputError(MANUAL_SOURCE, f"缺少列 (missing column) {', '.join(missing)}"
                                    f"：应为 {','.join(COLUMNS)}[,comment]", "line 1")
        rows, errors = parse_manual_rows(reader, MANUAL_SOURCE, load_metric_dictionary())
    except csv.Error as exc:
        raise InvalidInputError(MANUAL_SOURCE, f"CSV 格式错误：{exc}",
                                f"line {reader.line_num}") from None
    _refuse([*errors, *_too_long(rows)])
    if not rows:
        raise InvalidInputError(MANUAL_SOURCE, "没有数据行")
    return rows


def _too_long(rows: list[ManualRow]) -> list[RowError]:
    return [RowError(MANUAL_SOURCE, row.line, problem) for row in rows for problem in (
        *(["agent_id 过长（最多 100 字符）"] if len(row.agent_id) > 100 else []),
        *([f"comment 过长（最多 {MAX_COMMENT} 字符）"] if len(row.comment) > MAX_COMMENT else []))]


def _out_of_scope(session: Session, principal: Principal, rows: list[ManualRow]
                  ) -> list[RowError]:
    """A row for an agent the caller may not enter values for, or that does not exist."""
    if principal.role in REVIEWERS:
        allowed = set(session.exec(select(Agent.id)))
    else:
        allowed = {agent.id for agent in list_agents(session, team_id=principal.team_id or "")}
    return [RowError(MANUAL_SOURCE, row.line, f"坐席 {row.agent_id} 不存在或不在你的班组 "
                     "(unknown agent)") for row in rows if row.agent_id not in allowed]


def _refuse(errors: list[RowError] | tuple[RowError, ...]) -> None:
    """Refuse the whole file when any row is bad, naming the first lines and problems."""
    if not errors:
        return
    ordered = sorted(errors, key=lambda error: error.line)
    shown = "；".join(f"line {e.line}: {e.reason}" for e in ordered[:ERRORS_SHOWN])
    more = f"（另有 {len(ordered) - ERRORS_SHOWN} 行）" if len(ordered) > ERRORS_SHOWN else ""
    raise InvalidInputError(MANUAL_SOURCE, f"{len(ordered)} 行有误，整个文件未导入："
                            f"{shown}{more}")


def visible_manual_values(session: Session, principal: Principal, *, period: str
                          ) -> list[StoredManualValue]:
    """The period's values of the agents the caller may see."""
    try:
        label = parse_period(period).label
    except ValueError as exc:
        raise InvalidInputError("period", f"周期格式应为 2026-11 / 2026-W44 / 2026-Q4：{exc}") from None
    allowed = principal.visible_agent_ids(session)
    return manual_values(session, period=label,
                         agent_ids=None if allowed is None else sorted(allowed))
