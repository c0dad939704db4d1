"""Each metric formula against a hand-computed answer, edge cases included."""

from __future__ import annotations

import pytest

from coaching.dictionary import load_metric_dictionary
from coaching.metrics import (
    METRIC_FUNCTIONS,
    AgentPeriodData,
    MetricContext,
    MetricOptions,
    compute_metrics,
)
from tests.coaching.coaching_builders import finding, inspected, ticket


def value(name: str, data: AgentPeriodData, ctx: MetricContext | None = None) -> float | None:
    context = ctx or MetricContext(all_tickets=data.tickets)
    return METRIC_FUNCTIONS[name](name, data, context).value


def test_registry_covers_every_computed_metric_of_the_dictionary() -> None:
    dictionary = load_metric_dictionary()
    computed = {m.name for m in dictionary.metrics if m.source != "manual"}
    assert set(METRIC_FUNCTIONS) == computed


TICKETS = (
    # 20 s and 40 s first responses; handle 300 s, 420 s and unknown; CSAT 5, 4, 3, none
    ticket("T1", first_response_at="2026-10-05 10:00:20", handle_seconds=300, csat=5),
    ticket("T2", first_response_at="2026-10-05 10:00:40", handle_seconds=420, csat=4, complaint=True),
    ticket("T3", csat=3, escalated=True, first_response_at="2026-10-05 10:00:30"),
    ticket("T4", csat=4),
    ticket("T5"),
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("tickets_handled", 5.0),
        ("handle_seconds_mean", 360.0),  # (300 + 420) / 2
        ("first_response_seconds_mean", 30.0),  # (20 + 40 + 30) / 3
        ("first_response_compliance_rate", 200 / 3),  # 20 s and 30 s (= limit) of 3
        ("csat_mean", 4.0),  # (5 + 4 + 3 + 4) / 4
        ("csat_satisfied_rate", 75.0),  # 5, 4, 4 of 4 responses
        ("complaint_rate", 20.0),  # 1 of 5
        ("escalation_rate", 20.0),
    ],
)
def test_ticket_metrics(name: str, expected: float) -> None:
    data = AgentPeriodData("A017", TICKETS)
    assert value(name, data) == pytest.approx(expected)


@pytest.mark.parametrize(
    "name",
    [
        "handle_seconds_mean",
        "first_response_seconds_mean",
        "first_response_compliance_rate",
        "fcr_rate",
        "csat_mean",
        "csat_satisfied_rate",
        "complaint_rate",
        "escalation_rate",
        "resolution_hours_mean",
    ],
)
def test_no_tickets_is_missing_not_zero(name: str) -> None:
    result = METRIC_FUNCTIONS[name](name, AgentPeriodData("A017"), MetricContext())
    assert result.value is None
    assert "no tickets" in (result.missing_reason or "")


def test_no_tickets_handled_is_a_true_zero() -> None:
    assert value("tickets_handled", AgentPeriodData("A017")) == 0.0


def test_no_csat_responses_is_missing() -> None:
    data = AgentPeriodData("A017", (ticket("T1"), ticket("T2")))
    for name in ("csat_mean", "csat_satisfied_rate"):
        result = METRIC_FUNCTIONS[name](name, data, MetricContext())
        assert result.value is None
        assert result.missing_reason == "无满意度回复 (no CSAT responses)"


def test_first_response_target_is_configurable() -> None:
    data = AgentPeriodData("A017", TICKETS)
    ctx = MetricContext(options=MetricOptions(first_response_target_seconds=20))
    assert value("first_response_compliance_rate", data, ctx) == pytest.approx(100 / 3)


def test_resolution_hours() -> None:
    data = AgentPeriodData(
        "A017",
        (
            ticket("T1", resolved_at="2026-10-05 22:00"),  # 12 h
            ticket("T2", resolved_at="2026-10-07 10:00"),  # 48 h
            ticket("T3"),  # unresolved: not in the mean
        ),
    )
    assert value("resolution_hours_mean", data) == pytest.approx(30.0)


FCR_TICKETS = (
    ticket("T1", opened="2026-10-01 10:00", customer="C1", resolved_at="2026-10-01 11:00"),
    # exactly 7 days later: a re-contact (window inclusive)
    ticket("T2", opened="2026-10-08 10:00", customer="C1", resolved_at="2026-10-08 11:00"),
    ticket("T3", opened="2026-10-02 10:00", customer="C2", resolved_at="2026-10-02 11:00"),
    ticket("T4", opened="2026-10-03 10:00", customer="C3"),  # never resolved
    # same customer, other issue: not a re-contact of T3
    ticket("T5", opened="2026-10-04 10:00", customer="C2", issue="card", resolved_at="2026-10-04 11:00"),
)


@pytest.mark.parametrize(
    ("window_days", "expected"),
    [
        (7, 60.0),  # T2, T3, T5 of 5 (T1 re-contacted on day 7, T4 unresolved)
        (6, 80.0),  # T1 counts too: day 7 is outside a 6-day window
    ],
)
def test_fcr(window_days: int, expected: float) -> None:
    data = AgentPeriodData("A017", FCR_TICKETS)
    ctx = MetricContext(all_tickets=FCR_TICKETS, options=MetricOptions(fcr_window_days=window_days))
    assert value("fcr_rate", data, ctx) == pytest.approx(expected)


def test_fcr_all_recontacted_including_after_the_period() -> None:
    october = (
        ticket("T1", opened="2026-10-30 10:00", customer="C1", resolved_at="2026-10-30 11:00"),
        ticket("T2", opened="2026-10-31 10:00", customer="C1", resolved_at="2026-10-31 11:00"),
    )
    # the follow-up is in November and handled by another agent: it still re-contacts T2
    follow_up = ticket("T3", agent="A023", opened="2026-11-02 09:00", customer="C1")
    ctx = MetricContext(all_tickets=(*october, follow_up))
    assert value("fcr_rate", AgentPeriodData("A017", october), ctx) == 0.0


CONVERSATIONS = (
    inspected("c1", findings=(finding("fin.risk_disclosure"),)),
    inspected("c2", findings=(finding("svc.greeting"),)),
    inspected("c3", findings=(finding("risk.complaint_intent"),)),
    inspected("c4", findings=(finding("fin.guaranteed_return"),)),
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("qa_score_mean", (95 + 98 + 100 + 0) / 4),  # the veto conversation scores 0
        ("veto_count", 1.0),
        ("compliance_pass_rate", 50.0),  # c1 and c4 fail
        ("courtesy_pass_rate", 75.0),  # c2 fails
        ("process_pass_rate", 100.0),
        ("complaint_intent_rate", 25.0),  # info tag, no deduction: not a courtesy failure
    ],
)
def test_conversation_metrics(name: str, expected: float) -> None:
    data = AgentPeriodData("A017", (), CONVERSATIONS)
    assert value(name, data) == pytest.approx(expected)


def test_no_conversations_is_missing() -> None:
    for name in ("qa_score_mean", "veto_count", "compliance_pass_rate", "response_seconds_mean"):
        assert value(name, AgentPeriodData("A017")) is None


def test_average_response_seconds() -> None:
    # c1: customer ends 6.0, agent starts 8.0 → 2 s
    # c2: overlap → 0 s, then 6.0 → 9.0 → 3 s; mean (2 + 0 + 3) / 3
    c2 = inspected(
        "c2",
        utterances=(
            ("customer", 0.0, 2.0),
            ("agent", 1.5, 4.0),
            ("customer", 5.0, 6.0),
            ("agent", 9.0, 10.0),
        ),
    )
    data = AgentPeriodData("A017", (), (inspected("c1"), c2))
    assert value("response_seconds_mean", data) == pytest.approx(5 / 3)


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        (None, None),  # no sentiment stage: missing, not 0
        ({}, None),  # no verdicts for these conversations
        ({"c1": True, "c2": False, "c3": None}, 50.0),  # None (not applicable) is left out
        ({"c1": True, "c2": True}, 100.0),
    ],
)
def test_de_escalation_rate(mapping: dict[str, bool | None] | None, expected: float | None) -> None:
    data = AgentPeriodData("A017", (), CONVERSATIONS)
    assert value("de_escalation_rate", data, MetricContext(de_escalated=mapping)) == expected


def test_manual_metrics_present_or_missing() -> None:
    dictionary = load_metric_dictionary()
    values = compute_metrics(
        AgentPeriodData("A017"), MetricContext(manual={"knowledge_test_score": 88}), dictionary
    )
    assert values["knowledge_test_score"].value == 88.0
    assert values["customer_effort_score"].value is None
    assert "manual" in (values["customer_effort_score"].missing_reason or "")


def test_metric_value_carries_the_data_behind_it() -> None:
    data = AgentPeriodData("A017", TICKETS, CONVERSATIONS)
    ctx = MetricContext(all_tickets=TICKETS)
    csat = METRIC_FUNCTIONS["csat_mean"]("csat_mean", data, ctx)
    assert csat.ticket_ids == ("T1", "T2", "T3", "T4")
    assert (csat.numerator, csat.denominator) == (16, 4)
    veto = METRIC_FUNCTIONS["veto_count"]("veto_count", data, ctx)
    assert veto.conversation_ids == ("c4",)
