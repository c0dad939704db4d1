"""Bonus shares (seed 004 formula) and result application (seed 002 rules)."""

from __future__ import annotations

import pytest

from coaching.bonus import BonusPolicy, compute_bonuses
from coaching.metrics import MetricValue
from coaching.periods import parse_period
from coaching.scorecard import AgentScorecard, TeamScorecard, rank_cards


def card(agent: str, total: float | None, veto: bool = False, special: float | None = None):
    metrics = {}
    if special is not None:
        metrics["special_contribution_bonus"] = MetricValue("special_contribution_bonus", special)
    return AgentScorecard(
        agent_id=agent,
        period="2026-10",
        template="finance",
        items=(),
        metrics=metrics,
        total=total,
        weight_coverage=100.0,
        tier="D" if veto else "B",
        tier_label="",
        veto=veto,
        veto_reasons=("x",) if veto else (),
    )


def team(period: str, *cards: AgentScorecard) -> TeamScorecard:
    return TeamScorecard(parse_period(period), "finance", rank_cards(cards), {}, {})


def test_seed_004_formula_and_shares() -> None:
    # bonus = base × Σ(score × weight) + special = 1000 × 0.955 + 200 = 1155
    current = team("2026-10", card("A017", 95.5, special=200), card("A023", 80.0), card("A031", 60.0))
    bonuses = compute_bonuses(current, [], BonusPolicy(base_amount=1000))
    assert bonuses["A017"].amount == pytest.approx(1155.0)
    assert bonuses["A017"].weighted_score == pytest.approx(0.955)
    assert bonuses["A023"].amount == pytest.approx(800.0)
    assert bonuses["A031"].amount == pytest.approx(600.0)
    assert bonuses["A017"].share == pytest.approx(1155 / 2555, abs=1e-4)
    assert sum(b.share or 0 for b in bonuses.values()) == pytest.approx(1.0, abs=1e-3)


def test_veto_forfeits_the_performance_bonus_but_not_special() -> None:
    current = team("2026-10", card("A017", 97.0, veto=True, special=50), card("A023", 80.0))
    bonuses = compute_bonuses(current, [], BonusPolicy())
    assert bonuses["A017"].amount == 50.0
    assert bonuses["A017"].promotion_candidate is False
    assert bonuses["A017"].top_band is False
    assert bonuses["A023"].top_band is True
    kept = compute_bonuses(current, [], BonusPolicy(veto_forfeits_bonus=False))
    assert kept["A017"].amount == pytest.approx(1020.0)


@pytest.mark.parametrize(("agents", "top_count"), [(1, 1), (9, 1), (10, 1), (11, 2), (20, 2)])
def test_top_ten_percent(agents: int, top_count: int) -> None:
    current = team("2026-10", *(card(f"A{i:03d}", 100.0 - i) for i in range(agents)))
    bonuses = compute_bonuses(current, [], BonusPolicy())
    tops = sorted(agent for agent, b in bonuses.items() if b.top_band)
    assert tops == [f"A{i:03d}" for i in range(top_count)]


def test_bottom_ten_percent_three_periods_running_gets_an_improvement_plan() -> None:
    def month(label: str, low: str) -> TeamScorecard:
        others = [card(a, 85.0) for a in ("A017", "A023", "A031") if a != low]
        return team(label, *others, card(low, 50.0))

    policy = BonusPolicy()
    three = compute_bonuses(
        month("2026-10", "A031"), [month("2026-08", "A031"), month("2026-09", "A031")], policy
    )
    assert three["A031"].improvement_plan is True
    assert three["A017"].improvement_plan is False
    broken = compute_bonuses(
        month("2026-10", "A031"), [month("2026-08", "A031"), month("2026-09", "A023")], policy
    )
    assert broken["A031"].improvement_plan is False
    too_short = compute_bonuses(month("2026-10", "A031"), [month("2026-09", "A031")], policy)
    assert too_short["A031"].improvement_plan is False


@pytest.mark.parametrize(("total", "candidate"), [(90.0, True), (89.99, False), (None, False)])
def test_promotion_candidate_at_90(total: float | None, candidate: bool) -> None:
    bonuses = compute_bonuses(team("2026-10", card("A017", total)), [], BonusPolicy())
    assert bonuses["A017"].promotion_candidate is candidate


def test_no_total_no_bonus() -> None:
    bonuses = compute_bonuses(team("2026-10", card("A017", None)), [], BonusPolicy())
    assert bonuses["A017"].amount == 0.0
    assert bonuses["A017"].share is None
    assert "数据不足" in bonuses["A017"].notes[0]
