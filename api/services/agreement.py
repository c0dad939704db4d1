"""How far reviewers and the machine agree, per rule: precision, estimated recall, Cohen's κ,
each with a 95 % interval and the count behind it, a trend per month, and an alert when the
last 30 days' precision falls below the pack's `precision_alert` (default 0.8).

Definitions (docs/rules.md, "读懂一致性指标"):

- precision = right / decided over human decisions on the rule's findings: a review that
  confirms or an appeal upheld is right, an overturn (review or appeal) is not. Wilson 95 %.
- estimated recall = TP / (TP + FN), TP = precision × findings, FN = miss rate × clean
  conversations + misses recorded outside samples; miss rate = reviewed 抽检 samples on which
  the rule was missed ÷ reviewed samples (Wilson). The interval combines the ends of the two
  Wilson intervals (a conservative band). None until a sample has been reviewed.
- κ on the reviewed items: a = right, b = wrong decisions (machine said yes), c = samples the
  rule was missed on, d = the other reviewed samples (machine said no);
  κ = (p_o − p_e) / (1 − p_e), interval κ ± 1.96 · √(p_o(1 − p_o) / (n (1 − p_e)²)) (Cohen
  1960), cut to [−1, 1]; None when p_e = 1 or n = 0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from coaching.periods import DEFAULT_TIMEZONE
from inspection.rule_packs import DEFAULT_PRECISION_ALERT
from models.repository.agreement import Decision, SampleCounts

Z95 = 1.959963984540054
ALERT_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class Estimate:
    """A figure, its 95 % interval, and the count it rests on (None: nothing to estimate)."""

    value: float | None
    low: float | None
    high: float | None
    count: int


NONE = Estimate(None, None, None, 0)


def wilson(successes: int, trials: int, z: float = Z95) -> Estimate:
    """The proportion with its Wilson score interval."""
    if trials <= 0:
        return NONE
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), trials)


def cohens_kappa(a: int, b: int, c: int, d: int, z: float = Z95) -> Estimate:
    """κ of a 2×2 table (a: both yes, b: machine yes / reviewer no, c: machine no / reviewer
    yes, d: both no) with Cohen's large-sample interval."""
    n = a + b + c + d
    if n == 0:
        return NONE
    observed = (a + d) / n
    expected = ((a + b) * (a + c) + (c + d) * (b + d)) / (n * n)
    if expected >= 1:
        return Estimate(None, None, None, n)
    kappa = (observed - expected) / (1 - expected)
    error = math.sqrt(observed * (1 - observed) / (n * (1 - expected) ** 2))
    return Estimate(kappa, max(-1.0, kappa - z * error), min(1.0, kappa + z * error), n)


def estimated_recall(precision: Estimate, findings: int, miss_rate: Estimate, clean: int,
                     missed_elsewhere: int) -> Estimate:
    """TP / (TP + FN) as in the module doc; None before any sample was reviewed."""
    if miss_rate.value is None or miss_rate.low is None or miss_rate.high is None:
        return NONE
    p_value, p_low, p_high = ((precision.value, precision.low, precision.high)
                              if precision.value is not None else (1.0, 1.0, 1.0))
    assert p_low is not None and p_high is not None

    def recall(p: float, q: float) -> float | None:
        tp, fn = p * findings, q * clean + missed_elsewhere
        return tp / (tp + fn) if tp + fn > 0 else None

    value = recall(p_value, miss_rate.value)
    return Estimate(value, recall(p_low, miss_rate.high), recall(p_high, miss_rate.low),
                    miss_rate.count)


def month_of(at: datetime) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(DEFAULT_TIMEZONE).strftime("%Y-%m")


def monthly_precision(decisions: Iterable[Decision]) -> list[dict[str, object]]:
    """Per calendar month (call-centre time): decisions, right ones, precision (Wilson)."""
    months: dict[str, list[bool]] = {}
    for decision in decisions:
        months.setdefault(month_of(decision.at), []).append(decision.right)
    return [{"month": month, **_as_dict(wilson(sum(verdicts), len(verdicts)))}
            for month, verdicts in sorted(months.items())]


def recent(decisions: Iterable[Decision], now: datetime) -> list[Decision]:
    since = now - ALERT_WINDOW
    return [d for d in decisions
            if (d.at if d.at.tzinfo else d.at.replace(tzinfo=UTC)) >= since]


def rule_agreement(rule_id: str, decisions: list[Decision], findings: int,
                   samples: SampleCounts, threshold: float, now: datetime) -> dict[str, object]:
    """Every figure of one rule (`decisions`: that rule's)."""
    right = sum(d.right for d in decisions)
    precision = wilson(right, len(decisions))
    missed = samples.missed_in_sample.get(rule_id, 0)
    miss_rate = wilson(missed, samples.reviewed)
    elsewhere = samples.missed_elsewhere.get(rule_id, 0)
    last = recent(decisions, now)
    last_precision = wilson(sum(d.right for d in last), len(last))
    alert = last_precision.value is not None and last_precision.value < threshold
    return {
        "rule_id": rule_id, "findings": findings, "reviewed": len(decisions),
        "precision_estimate": _as_dict(precision),
        "miss_rate": _as_dict(miss_rate), "missed_elsewhere": elsewhere,
        "recall": _as_dict(estimated_recall(precision, findings, miss_rate,
                                            samples.clean_conversations, elsewhere)),
        "kappa": _as_dict(cohens_kappa(right, len(decisions) - right, missed,
                                       samples.reviewed - missed)),
        "trend": monthly_precision(decisions),
        "precision_30d": _as_dict(last_precision), "threshold": threshold,
        "alert": alert,
    }


def _as_dict(estimate: Estimate) -> dict[str, object]:
    def rounded(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {"value": rounded(estimate.value), "low": rounded(estimate.low),
            "high": rounded(estimate.high), "count": estimate.count}


def agreement_table(rule_ids: Iterable[str], decisions: list[Decision],
                    findings: Mapping[str, int], samples: SampleCounts,
                    thresholds: Mapping[str, float], now: datetime) -> list[dict[str, object]]:
    """`rule_agreement` of every rule named, in order."""
    by_rule: dict[str, list[Decision]] = {}
    for decision in decisions:
        by_rule.setdefault(decision.rule_id, []).append(decision)
    return [rule_agreement(rule_id, by_rule.get(rule_id, []), findings.get(rule_id, 0), samples,
                           thresholds.get(rule_id, DEFAULT_PRECISION_ALERT), now)
            for rule_id in rule_ids]
