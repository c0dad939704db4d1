"""Manually entered metric values in rows: saved per agent, period and metric (a later entry
replaces an earlier one), and read back as coaching's `ManualImport`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from coaching.manual import ManualImport, ManualRow
from models.people import utc_now
from models.tickets import ManualMetric


@dataclass(frozen=True)
class StoredManualValue:
    """A stored value as the API shows it (the comment already redacted at entry)."""

    agent_id: str
    period: str
    metric: str
    value: float
    comment: str
    entered_by: str


def save_manual_values(session: Session, *, rows: Sequence[ManualRow], entered_by: str) -> None:
    """Store the rows (comments already redacted), replacing the same agent/period/metric."""
    agents = sorted({row.agent_id for row in rows})
    existing = {(m.agent_id, m.period, m.metric): m for m in session.exec(
        select(ManualMetric).where(col(ManualMetric.agent_id).in_(agents)))}
    for row in rows:
        stored = existing.get((row.agent_id, row.period, row.metric))
        if stored is None:
            stored = ManualMetric(agent_id=row.agent_id, period=row.period, metric=row.metric,
                                  value=row.value, entered_by=entered_by)
        stored.value, stored.comment, stored.entered_by = row.value, row.comment, entered_by
        stored.entered_at = utc_now()
        session.add(stored)
    session.flush()


def stored_manual(session: Session) -> ManualImport:
    """Every stored value, as the scorecards read manual input."""
    return ManualImport.of(ManualRow(m.agent_id, m.period, m.metric, m.value)
                           for m in session.exec(select(ManualMetric)))


def manual_values(session: Session, *, period: str, agent_ids: Sequence[str] | None
                  ) -> list[StoredManualValue]:
    """The period's values of `agent_ids` (None: every agent), by agent then metric."""
    query = select(ManualMetric).where(ManualMetric.period == period)
    if agent_ids is not None:
        query = query.where(col(ManualMetric.agent_id).in_(list(agent_ids)))
    query = query.order_by(col(ManualMetric.agent_id), col(ManualMetric.metric))
    return [StoredManualValue(m.agent_id, m.period, m.metric, m.value, m.comment, m.entered_by)
            for m in session.exec(query)]


def manual_keys_stored(session: Session, *, rows: Sequence[ManualRow]) -> int:
    """How many of the rows' agent/period/metric keys hold a value already."""
    keys = {(row.agent_id, row.period, row.metric) for row in rows}
    agents = sorted({row.agent_id for row in rows})
    stored = session.exec(select(ManualMetric.agent_id, ManualMetric.period, ManualMetric.metric)
                          .where(col(ManualMetric.agent_id).in_(agents)))
    return sum(1 for key in stored if tuple(key) in keys)
