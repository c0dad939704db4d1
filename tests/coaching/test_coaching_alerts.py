"""Alerts: N consecutive days past a threshold, vetoes, complaint-intent rises."""

from __future__ import annotations

from coaching.alerts import AlertPolicy, StreakRule, build_alerts, metric_streak_alerts
from coaching.dataset import CoachingInputs
from coaching.dictionary import load_metric_dictionary
from coaching.periods import parse_period
from coaching.scorecard import score_period
from coaching.template_model import load_template
from tests.coaching.coaching_builders import finding, inspected, ticket

OCTOBER = parse_period("2026-10")


def daily(agent: str, day: int, csats: list[int]) -> list:
    return [
        ticket(f"{agent}-{day}-{i}", agent=agent, opened=f"2026-10-{day:02d} 1{i}:00", csat=c)
        for i, c in enumerate(csats)
    ]


def test_csat_below_85_for_three_days() -> None:
    tickets = [
        *daily("A017", 5, [5, 3]),  # 50% satisfied
        *daily("A017", 6, [4, 4, 2]),  # 66.7%
        *daily("A017", 7, [1]),  # 0%
        *daily("A017", 8, [5]),  # 100%: streak ends after 3 days
        *daily("A023", 5, [2]),
        *daily("A023", 6, [2]),
        *daily("A023", 8, [2]),  # day 7 has no data: the streak is broken
    ]
    alerts = metric_streak_alerts(CoachingInputs(tickets=tuple(tickets)), OCTOBER, StreakRule())
    by_agent = {alert.agent_id: alert for alert in alerts}
    assert set(by_agent) == {"A017", "team"}  # A023's streak is broken by day 7
    assert by_agent["A017"].days == ("2026-10-05", "2026-10-06", "2026-10-07")
    assert by_agent["A017"].values == (50.0, 66.67, 0.0)
    # team: 1/3, 2/4, 0/1, 1/2 satisfied on days 5–8
    assert by_agent["team"].values == (33.33, 50.0, 0.0, 50.0)


def test_streak_days_use_the_call_centre_time_zone() -> None:
    # 2026-10-05T17:00Z is 10-06 01:00 in Shanghai: the three tickets fall on 3 local days
    tickets = (
        ticket("T1", opened="2026-10-05T01:00:00+00:00", csat=1),
        ticket("T2", opened="2026-10-05T17:00:00+00:00", csat=1),
        ticket("T3", opened="2026-10-06T17:00:00+00:00", csat=1),
    )
    alerts = metric_streak_alerts(CoachingInputs(tickets=tickets), OCTOBER, StreakRule())
    assert {a.agent_id for a in alerts} == {"A017", "team"}
    assert alerts[0].days == ("2026-10-05", "2026-10-06", "2026-10-07")


def test_veto_and_complaint_intent_rise() -> None:
    inputs = CoachingInputs(
        inspected=(
            inspected("s1", started="2026-09-10 10:00"),
            inspected("s2", started="2026-09-11 10:00"),
            inspected("o1", findings=(finding("risk.complaint_intent"),)),
            inspected("o2", findings=(finding("fin.guaranteed_return"),)),
        ),
    )
    dictionary, template = load_metric_dictionary(), load_template("finance")
    previous = score_period(inputs, template, parse_period("2026-09"), dictionary)
    current = score_period(inputs, template, OCTOBER, dictionary)
    alerts = build_alerts(inputs, current, previous, AlertPolicy(streaks=()))
    kinds = sorted((a.kind, a.agent_id) for a in alerts)
    assert kinds == [
        ("complaint_intent_rise", "A017"),
        ("complaint_intent_rise", "team"),
        ("veto", "A017"),
    ]
    rise = next(a for a in alerts if a.kind == "complaint_intent_rise")
    assert rise.values == (0.0, 50.0)
    assert rise.conversation_ids == ("o1",)
    veto = next(a for a in alerts if a.kind == "veto")
    assert veto.conversation_ids == ("o2",)
    assert build_alerts(inputs, current, None, AlertPolicy(streaks=()))[0].kind == "veto"
