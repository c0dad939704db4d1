"""Completed coaching plans (CSV `agent_id,skill,done_at`) for the effectiveness check."""

from __future__ import annotations

import csv
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from coaching.effectiveness import PlanOutcome, plan_effectiveness
from coaching.metrics import Inspected
from coaching.periods import DEFAULT_TIMEZONE, localize
from coaching.skills import SkillCatalogue
from coaching.tickets import RowError
from inspection.errors import InvalidInputError

logger = logging.getLogger("zhijian.coaching")
COLUMNS = ("agent_id", "skill", "done_at")


@dataclass(frozen=True)
class CompletedPlan:
    """An agent finished the training for `skill` at `done_at`."""

    agent_id: str
    skill: str
    done_at: datetime


def load_plans(
    path: Path, catalogue: SkillCatalogue, tz: tzinfo = DEFAULT_TIMEZONE
) -> tuple[list[CompletedPlan], list[RowError]]:
    """Read completed plans; bad rows are reported by line and reason and skipped."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in {f.strip() for f in reader.fieldnames or ()}]
            if missing:
                problem = f"missing column(s) {', '.join(missing)}"
                raise InvalidInputError(str(path), problem, "line 1")
            plans: list[CompletedPlan] = []
            errors: list[RowError] = []
            for row in reader:
                cells = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
                try:
                    plans.append(_parse(cells, catalogue, tz))
                except ValueError as exc:
                    errors.append(RowError(str(path), reader.line_num, str(exc)))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInputError(str(path), f"cannot read plans CSV: {exc}") from exc
    for error in errors:
        logger.warning("skipped plan row: %s", error)
    return plans, errors


def _parse(cells: dict[str, str], catalogue: SkillCatalogue, tz: tzinfo) -> CompletedPlan:
    if not cells.get("agent_id"):
        raise ValueError("agent_id is empty")
    if catalogue.skill(cells.get("skill", "")) is None:
        raise ValueError(f"skill {cells.get('skill')!r} is not in the skill catalogue")
    try:
        done = datetime.fromisoformat(cells.get("done_at", ""))
    except ValueError:
        raise ValueError(f"done_at {cells.get('done_at')!r} is not an ISO 8601 time") from None
    return CompletedPlan(cells["agent_id"], cells["skill"], localize(done, tz))


def evaluate_plans(
    plans: Sequence[CompletedPlan],
    inspected: Sequence[Inspected],
    catalogue: SkillCatalogue,
    window_days: int | None = None,
    tz: tzinfo = DEFAULT_TIMEZONE,
) -> list[PlanOutcome]:
    """Before/after violation rates for every completed plan."""
    return [
        plan_effectiveness(inspected, p.agent_id, p.skill, p.done_at, catalogue, window_days, tz)
        for p in plans
    ]
