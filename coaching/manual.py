"""Manual-input CSV: metrics our data cannot supply (knowledge tests, CES, special bonuses …).

Columns `agent_id,period,metric,value`. Only metrics whose dictionary `source` is `manual` are
accepted. A bad row is reported by line and reason and skipped; the rest are imported.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from pathlib import Path

from coaching.dictionary import MetricDictionary
from coaching.periods import parse_period
from coaching.tickets import RowError
from inspection.errors import InvalidInputError

logger = logging.getLogger("zhijian.coaching")

COLUMNS = ("agent_id", "period", "metric", "value")
ManualKey = tuple[str, str]  # (agent_id, period label)


@dataclass(frozen=True)
class ManualImport:
    """Values keyed by (agent_id, period label) then metric name, and the rejected rows."""

    values: dict[ManualKey, dict[str, float]]
    errors: tuple[RowError, ...]

    def for_agent(self, agent_id: str, period_label: str) -> dict[str, float]:
        return self.values.get((agent_id, period_label), {})


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
    manual_names = {m.name for m in dictionary.metrics if m.source == "manual"}
    values: dict[ManualKey, dict[str, float]] = {}
    errors: list[RowError] = []
    for row in reader:
        cells = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        try:
            key, metric, value = _parse_row(cells, manual_names)
        except ValueError as exc:
            errors.append(RowError(source, reader.line_num, str(exc)))
            continue
        bucket = values.setdefault(key, {})
        if metric in bucket:
            errors.append(RowError(source, reader.line_num, f"duplicate {metric} for {key}"))
            continue
        bucket[metric] = value
    for error in errors:
        logger.warning("skipped manual-input row: %s", error)
    return ManualImport(values, tuple(errors))


def _parse_row(cells: dict[str, str], manual_names: set[str]) -> tuple[ManualKey, str, float]:
    agent_id, metric = cells.get("agent_id", ""), cells.get("metric", "")
    if not agent_id:
        raise ValueError("agent_id is empty")
    period = parse_period(cells.get("period", "")).label
    if metric not in manual_names:
        raise ValueError(f"metric {metric!r} is not a manual-input metric of the dictionary")
    try:
        value = float(cells.get("value", ""))
    except ValueError:
        raise ValueError(f"value {cells.get('value')!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("value must be a finite number")
    return (agent_id, period), metric, value
