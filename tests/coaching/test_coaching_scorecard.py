"""Scorecards: items, totals, veto → lowest tier, missing data, rank, percentile, trend."""

from __future__ import annotations

import pytest

from coaching.dataset import CoachingInputs
from coaching.dictionary import load_metric_dictionary
from coaching.manual import ManualImport
from coaching.periods import parse_period
from coaching.scorecard import rank_cards, score_period, with_trend
from coaching.template_model import load_template
from tests.coaching.coaching_builders import finding, inspected, ticket

OCTOBER = parse_period("2026-10")
DICTIONARY = load_metric_dictionary()
FINANCE = load_template("finance")


def tickets_for(agent: str, csat: int, count: int = 4, month: str = "10") -> tuple:
    return tuple(
        ticket(
            f"{agent}-{month}-{i}",
            agent=agent,
            opened=f"2026-{month}-0{i + 1} 10:00",
            csat=csat,
            resolved_at=f"2026-{month}-0{i + 1} 11:00",
        )
        for i in range(count)
    )


def manual(values: dict[str, float], period: str = "2026-10") -> ManualImport:
    return ManualImport({(agent, period): {"knowledge_test_score": v} for agent, v in values.items()}, ())


def test_finance_scorecard_hand_computed() -> None:
    # A017: escalation 0% → 100; CSAT mean 5 → 100; FCR 100%; QA mean 95 (one risk_disclosure
    # finding, −5) → 95; knowledge 80 → 80.
    # total = 100×.20 + 100×.15 + 100×.20 + 95×.30 + 80×.15 = 20 + 15 + 20 + 28.5 + 12 = 95.5
    inputs = CoachingInputs(
        inspected=(inspected("c1", findings=(finding("fin.risk_disclosure"),)),),
        tickets=tickets_for("A017", 5),
        manual=manual({"A017": 80}),
    )
    team = score_period(inputs, FINANCE, OCTOBER, DICTIONARY)
    (card,) = team.cards
    assert card.total == pytest.approx(95.5)
    assert (card.tier, card.tier_label) == ("A", "优秀")
    assert card.weight_coverage == 100
    assert (card.rank, card.percentile) == (1, 100.0)
    items = {item.metric: item for item in card.items}
    assert items["qa_score_mean"].contribution == pytest.approx(28.5)
    assert items["qa_score_mean"].conversation_ids == ("c1",)
    assert items["fcr_rate"].ticket_ids == tuple(f"A017-10-{i}" for i in range(4))


def test_veto_agent_lands_in_the_lowest_tier_whatever_the_total() -> None:
    # 9 spotless conversations and one guaranteed-return promise: QA mean 90, total still high
    clean = tuple(inspected(f"c{i}") for i in range(9))
    vetoed = inspected("c-veto", findings=(finding("fin.guaranteed_return", text="保本保收益"),))
    inputs = CoachingInputs(
        inspected=(*clean, vetoed),
        tickets=tickets_for("A017", 5),
        manual=manual({"A017": 100}),
    )
    (card,) = score_period(inputs, FINANCE, OCTOBER, DICTIONARY).cards
    assert card.total == pytest.approx(97.0)  # 20 + 15 + 20 + 90×.30 + 15
    assert card.veto is True
    assert (card.tier, card.tier_label) == ("D", "待改进")
    assert card.veto_reasons == ("c-veto: fin.guaranteed_return",)


def test_manual_veto_metric() -> None:
    values = ManualImport({("A017", "2026-10"): {"knowledge_test_score": 90, "major_violation_count": 1}}, ())
    inputs = CoachingInputs(tickets=tickets_for("A017", 5), manual=values)
    (card,) = score_period(inputs, FINANCE, OCTOBER, DICTIONARY).cards
    assert card.veto and card.tier == "D"
    assert card.veto_reasons == ("major_violation_count = 1",)


def test_missing_metrics_are_reported_not_zero() -> None:
    # no conversations and no manual input: QA (30%) and knowledge (15%) are missing;
    # the total is over the 55% covered: (20 + 4 → 75 × .15 + 20) / 55 × 100
    inputs = CoachingInputs(tickets=tickets_for("A017", 4))
    (card,) = score_period(inputs, FINANCE, OCTOBER, DICTIONARY).cards
    assert card.weight_coverage == 55
    assert card.missing_metrics == ("qa_score_mean", "knowledge_test_score")
    items = {item.metric: item for item in card.items}
    assert items["knowledge_test_score"].score is None
    assert items["knowledge_test_score"].contribution is None
    assert card.total == pytest.approx((20 + 11.25 + 20) / 0.55, abs=0.01)  # 93.18


def test_below_min_coverage_no_total_no_tier() -> None:
    strict = FINANCE.model_copy(update={"min_coverage": 60.0})
    inputs = CoachingInputs(tickets=tickets_for("A017", 5))
    (card,) = score_period(inputs, strict, OCTOBER, DICTIONARY).cards
    assert card.weight_coverage == 55
    assert card.total is None
    assert card.tier == "insufficient_data"
    assert card.rank is None


def test_rank_percentile_and_veto_last() -> None:
    inputs = CoachingInputs(
        inspected=(
            inspected("c1", agent="A017"),
            inspected("c2", agent="A023", findings=(finding("svc.greeting"),)),
            inspected("c3", agent="A031"),
            inspected("c4", agent="A031", findings=(finding("fin.sensitive_info_request"),)),
            inspected("c5", agent="A040", findings=(finding("svc.greeting"),)),
        ),
        tickets=(
            *tickets_for("A017", 5),
            *tickets_for("A023", 4),
            *tickets_for("A031", 5),
            *tickets_for("A040", 4),
        ),
        manual=manual({"A017": 90, "A023": 90, "A031": 100, "A040": 90}),
    )
    cards = score_period(inputs, FINANCE, OCTOBER, DICTIONARY).cards
    ranking = [(c.agent_id, c.rank, c.percentile) for c in cards]
    # A023 and A040 tie; A031 has the veto and ranks last despite its total
    assert ranking == [
        ("A017", 1, 100.0),
        ("A023", 2, pytest.approx(33.33)),
        ("A040", 2, pytest.approx(33.33)),
        ("A031", 4, 0.0),
    ]


def test_rank_cards_empty() -> None:
    assert rank_cards([]) == ()


def test_trend_against_previous_periods() -> None:
    inputs = CoachingInputs(
        tickets=(*tickets_for("A017", 5), *tickets_for("A017", 3, month="09")),
        manual=ManualImport(
            {
                ("A017", "2026-10"): {"knowledge_test_score": 80},
                ("A017", "2026-09"): {"knowledge_test_score": 80},
            },
            (),
        ),
    )
    september = score_period(inputs, FINANCE, parse_period("2026-09"), DICTIONARY)
    august = score_period(inputs, FINANCE, parse_period("2026-08"), DICTIONARY)
    october = with_trend(score_period(inputs, FINANCE, OCTOBER, DICTIONARY), [august, september])
    (card,) = october.cards
    # September CSAT 3 → 50; (20 + 50×.15 + 20 + 80×.15) / 70 × 100 = 59.5 / 0.7 = 85.0
    assert [(p.period, p.total) for p in card.trend] == [("2026-08", None), ("2026-09", 85.0)]
    # October: (20 + 15 + 20 + 12) / 0.70 = 95.71
    assert card.total == pytest.approx(95.71)


def test_team_rollup_metrics() -> None:
    inputs = CoachingInputs(tickets=(*tickets_for("A017", 5), *tickets_for("A023", 3)))
    team = score_period(inputs, FINANCE, OCTOBER, DICTIONARY)
    assert team.team_metrics["tickets_handled"].value == 8
    assert team.team_metrics["csat_mean"].value == pytest.approx(4.0)
