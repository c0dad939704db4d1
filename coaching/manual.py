"""Manual-input CSV: metrics our data cannot supply (knowledge tests, CES, special bonuses …).

Columns `agent_id,period,metric,value` and an optional `comment`. Only metrics whose dictionary
`source` is `manual` are accepted, and only values in the metric's range (`valid_range`). Here a
bad row is reported by line and reason and skipped; the rest are imported (the service's import
refuses the whole file instead: `api.services.manual_metrics`).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coaching.dictionary import MetricDefinition, MetricDictionary
from coaching.periods import parse_period
from coaching.tickets import RowError
from inspection.errors import InvalidInputError

logger = logging.getLogger("zhijian.coaching")

COLUMNS = ("agent_id", "period", "metric", "value")
ManualKey = tuple[str, str]  # (agent_id, period label)


@dataclass(frozen=True)
class ManualRow:
    """One entered value: who, which period (its label), which metric, and the row's line."""

    agent_id: str
    period: str
    metric: str
    value: float
    comment: str = ""
    line: int = 0


@dataclass(frozen=True)
class ManualImport:
    """Values keyed by (agent_id, period label) then metric name, and the rejected rows."""

    values: dict[ManualKey, dict[str, float]]
    errors: tuple[RowError, ...]

    def for_agent(self, agent_id: str, period_label: str) -> dict[str, float]:
        return self.values.get((agent_id, period_label), {})

    @classmethod
    def of(cls, rows: Iterable[ManualRow]) -> ManualImport:
        """Values from rows already checked (the later of two rows for one key wins)."""
        values: dict[ManualKey, dict[str, float]] = {}
        for row in rows:
            values.setdefault((row.agent_id, row.period), {})[row.metric] = row.value
        return cls(values, ())


def load_manual(path: Path, dictionary: MetricDictionary) -> ManualImport:
    """Read and validate a manual-input CSV."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = {name.strip() for name in reader.fieldnames or ()}
            if set(COLUMNS) - fields:
                missing = ", ".join(c for c in COLUMNS if c not in fields)
                raise InvalidInputError(str(path), f"missing column(s) {missing}", "line 1")
            return _read_rows(reader, str(path), dictionary)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInputError(str(path), f"cannot read manual-input CSV: {exc}") from exc


def _read_rows(reader: csv.DictReader[str], source: str, dictionary: MetricDictionary) -> ManualImport:
    rows, errors = parse_manual_rows(reader, source, dictionary)
    for error in errors:
        logger.warning("skipped manual-input row: %s", error)
    return ManualImport(ManualImport.of(rows).values, errors)


def parse_manual_rows(reader: csv.DictReader[str], source: str, dictionary: MetricDictionary
                      ) -> tuple[list[ManualRow], tuple[RowError, ...]]:
    """The good rows and, by line, the bad ones (a repeated agent/period/metric is bad)."""
    manual = {m.name: m for m in dictionary.metrics if m.source == "manual"}
    rows: list[ManualRow] = []
    seen: set[tuple[str, str, str]] = set()
    errors: list[RowError] = []
    for cells_in in reader:
        cells = {(k or "").strip(): (v or "").strip() for k, v in cells_in.items()
                 if isinstance(v, str) or v is None}
        try:
            row = _parse_row(cells, manual, reader.line_num)
        except ValueError as exc:
            errors.append(RowError(source, reader.line_num, str(exc)))
            continue
        key = (row.agent_id, row.period, row.metric)
        if key in seen:
            errors.append(RowError(source, reader.line_num, f"duplicate {row.metric} for "
                                   f"{(row.agent_id, row.period)}"))
            continue
        seen.add(key)
        rows.append(row)
    return rows, tuple(errors)


def _parse_row(cells: dict[str, str], manual: dict[str, MetricDefinition], line: int) -> ManualRow:
    agent_id, metric = cells.get("agent_id", ""), cells.get("metric", "")
    if not agent_id:
        raise ValueError("agent_id is empty")
    period = parse_period(cells.get("period", "")).label
    if metric not in manual:
        raise ValueError(f"metric {metric!r} is not a manual-input metric of the dictionary")
    try:
        value = float(cells.get("value", ""))
    except ValueError:
        raise ValueError(f"value {cells.get('value')!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("value must be a finite number")
    low, high = manual[metric].valid_range()
    if value < low or (high is not None and value > high):
        allowed = f"{low:g}–{high:g}" if high is not None else f"≥ {low:g}"
        raise ValueError(f"value {value:g} of {metric} is out of range ({allowed})")
    return ManualRow(agent_id, period, metric, value, cells.get("comment", ""), line)
