"""Bonus shares and result application (seeds 002 and 004).

Seed 004: 绩效奖金 = 基础奖金 × Σ(得分 × 权重) + 特殊贡献奖金 — with weights as fractions,
Σ score × weight is the total / 100. Seed 002: the top 10% get the bonus band; the bottom 10%
for three periods running get an improvement plan; a total ≥ 90 makes a promotion candidate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from coaching.scorecard import AgentScorecard, TeamScorecard

SPECIAL_METRIC = "special_contribution_bonus"


@dataclass(frozen=True)
class BonusPolicy:
    """The money and the result-application rules (all configurable)."""

    base_amount: float = 1000.0
    top_share: float = 0.10
    bottom_share: float = 0.10
    bottom_periods: int = 3
    promotion_min_total: float = 90.0
    veto_forfeits_bonus: bool = True


@dataclass(frozen=True)
class BonusResult:
    """One agent's bonus and the result-application flags."""

    agent_id: str
    weighted_score: float | None
    special_contribution: float
    amount: float
    share: float | None
    top_band: bool
    improvement_plan: bool
    promotion_candidate: bool
    notes: tuple[str, ...]


def bonus_amount(card: AgentScorecard, policy: BonusPolicy) -> tuple[float, float | None, float]:
    """(amount, Σ score × weight, special contribution) for one scorecard."""
    special_value = card.metrics.get(SPECIAL_METRIC)
    special = special_value.value if special_value and special_value.value is not None else 0.0
    if card.total is None or (card.veto and policy.veto_forfeits_bonus):
        weighted = None if card.total is None else card.total / 100.0
        return round(special, 2), weighted, special
    weighted = card.total / 100.0
    return round(policy.base_amount * weighted + special, 2), weighted, special


def band_members(team: TeamScorecard, share: float, *, top: bool) -> set[str]:
    """Agents in the top (or bottom) `share` of the ranked agents, at least one when any."""
    ranked = [card for card in team.cards if card.rank is not None]
    if len(ranked) < (1 if top else 2):
        return set()  # a lone agent is never "the bottom 10%"
    size = max(1, math.ceil(len(ranked) * share))
    chosen = [card for card in ranked if not card.veto][:size] if top else ranked[-size:]
    return {card.agent_id for card in chosen}


def compute_bonuses(
    current: TeamScorecard, history: Sequence[TeamScorecard], policy: BonusPolicy
) -> dict[str, BonusResult]:
    """Bonus amount, share of the team pool and result flags for every agent of `current`.

    `history` are the earlier periods, oldest first; the improvement plan needs the agent in
    the bottom band in each of the last `bottom_periods` periods including the current one.
    """
    amounts = {card.agent_id: bonus_amount(card, policy) for card in current.cards}
    pool = sum(amount for amount, _, _ in amounts.values())
    top = band_members(current, policy.top_share, top=True)
    periods = [*history, current][-policy.bottom_periods :]
    bottoms = [band_members(team, policy.bottom_share, top=False) for team in periods]
    results: dict[str, BonusResult] = {}
    for card in current.cards:
        amount, weighted, special = amounts[card.agent_id]
        plan = len(periods) == policy.bottom_periods and all(card.agent_id in b for b in bottoms)
        promote = not card.veto and (card.total or 0.0) >= policy.promotion_min_total
        results[card.agent_id] = BonusResult(
            agent_id=card.agent_id,
            weighted_score=weighted,
            special_contribution=special,
            amount=amount,
            share=round(amount / pool, 4) if pool > 0 else None,
            top_band=card.agent_id in top,
            improvement_plan=plan,
            promotion_candidate=promote,
            notes=_notes(card, card.agent_id in top, plan, promote, policy),
        )
    return results


def _notes(
    card: AgentScorecard, top: bool, plan: bool, promote: bool, policy: BonusPolicy
) -> tuple[str, ...]:
    notes = []
    if card.veto and policy.veto_forfeits_bonus:
        notes.append("否决项：本期绩效奖金取消（特殊贡献奖金照发）")
    if card.pending_vetoes:
        notes.append(f"{len(card.pending_vetoes)} 项否决待确认，未计入本期得分与奖金"
                     "（复核确认后立即生效）")
    if top:
        notes.append(f"排名前 {policy.top_share:.0%}：发放绩效奖金档")
    if plan:
        periods, share = policy.bottom_periods, policy.bottom_share
        notes.append(f"连续 {periods} 期排名后 {share:.0%}：进入绩效改进计划")
    if promote:
        notes.append(f"总分 ≥ {policy.promotion_min_total:g}：晋升候选")
    if card.total is None and not card.veto:
        notes.append("数据不足，未计算绩效奖金")
    return tuple(notes)
