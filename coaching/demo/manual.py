"""The demo's manually entered metrics: each agent's monthly business-knowledge test score
(`knowledge_test_score`, the finance template's 15 % item that tickets and conversations cannot
give), drawn around their profile's level, so the demo's scorecards cover all their weight.

The improver's scores rise with their coaching; the weak agent's stay low. Seeded per agent and
month like the rest of the demo.
"""

from __future__ import annotations

from datetime import date
from random import Random

from coaching.demo.roster import AGENTS, MonthFigures
from coaching.manual import ManualRow

METRIC = "knowledge_test_score"
LEVELS: dict[str, MonthFigures] = {  # profile → mean score per month, oldest first
    "star": (94, 95, 96), "steady": (86, 86, 87), "average": (78, 79, 79),
    "veto_risk": (74, 72, 71), "improver": (66, 76, 86), "slow": (81, 81, 80),
    "csat_slide": (88, 87, 87), "weak": (62, 63, 61),
}
SPREAD = 3  # ± points around the level


def manual_rows(starts: list[date], seed: int) -> tuple[ManualRow, ...]:
    """One knowledge-test score per agent per month, with the test it came from."""
    rows = []
    for agent in AGENTS:
        for index, first in enumerate(starts):
            rng = Random(f"{seed}-{agent.id}-manual-{index}")
            level = LEVELS[agent.profile.key][index]
            value = max(0, min(100, round(level + rng.uniform(-SPREAD, SPREAD))))
            rows.append(ManualRow(agent.id, f"{first:%Y-%m}", METRIC, float(value),
                                  f"{first.month} 月业务知识测试（抽问 + 笔试）"))
    return tuple(rows)


def manual_csv(rows: tuple[ManualRow, ...]) -> str:
    """`zhijian coach --manual` / `POST /api/manual-metrics` columns, with the comment."""
    lines = [f"{r.agent_id},{r.period},{r.metric},{r.value:g},{r.comment}" for r in rows]
    return "agent_id,period,metric,value,comment\n" + "".join(f"{line}\n" for line in lines)
