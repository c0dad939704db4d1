"""The demo's recorded calls: six calls of the current month whose audio is committed beside
their script (synthesised by `make demo-audio` with tools/speech). Each shows one profile's
story on the call page, with audio that seeks to the evidence of its findings.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, time

from coaching.demo.dialogue import CallPlan
from coaching.demo.lines import QUEUES
from coaching.demo.roster import agent_by_id
from coaching.periods import DEFAULT_TIMEZONE


@dataclass(frozen=True)
class RecordedCall:
    """A call of the current month (`day`, `at` local time) with audio."""

    name: str  # the file name (without extension) under calls/
    agent_id: str
    day: int
    at: time
    queue: str
    scenario: str  # the scenario's issue_key
    faults: frozenset[str] = frozenset()
    veto: bool = False
    good_hold: bool = False


RECORDED_CALLS = (
    # 否决待确认: the compliance-risk agent promises guaranteed returns (the guide reviews it)
    RecordedCall("wealth_guaranteed_return", "A211", 27, time(10, 12), "wealth_sales",
                 "wealth_product", veto=True),
    # the star: identity checked, the customer asked to wait before the look-up
    RecordedCall("card_bill_star", "A201", 26, time(9, 41), "card_service", "bill_inquiry",
                 good_hold=True),
    # the slow agent: silence of half a minute without asking the customer to wait
    RecordedCall("card_limit_slow_hold", "A205", 24, time(15, 3), "card_service",
                 "limit_increase", faults=frozenset({"hold_silence"})),
    # the sliding CSAT: an angry customer left without an apology, then a complaint
    RecordedCall("card_fee_complaint", "A203", 29, time(18, 22), "card_service", "annual_fee",
                 faults=frozenset({"no_empathy", "complaint"})),
    # the improver after coaching: notice, identity, empathy, closing — a clean call
    RecordedCall("collections_plan_improved", "A221", 25, time(14, 5), "collections",
                 "repayment_plan"),
    # the weak agent: no recording notice and impatience
    RecordedCall("collections_impatient", "A223", 20, time(11, 30), "collections",
                 "overdue_reminder", faults=frozenset({"impatience", "no_recording_notice"})),
)


def call_plan(call: RecordedCall, month: date) -> CallPlan:
    """The plan of a recorded call in the demo's current `month` (on its last day when the
    month is shorter; its ticket id is given with the other plans' by `coaching.demo.month`)."""
    agent = agent_by_id(call.agent_id)
    queue = QUEUES[call.queue]
    scenario = next(s for s in queue.scenarios if s.issue_key == call.scenario)
    day = month.replace(day=min(call.day, monthrange(month.year, month.month)[1]))
    started = datetime.combine(day, call.at, DEFAULT_TIMEZONE)
    return CallPlan(f"c-{day:%Y%m%d}-{agent.id}-rec", agent, queue, scenario, started,
                    call.faults, call.veto, call.good_hold)
