"""Coaching recommendations: skills ← failed rules (each finding's `coaching` tag) and metric
gaps (against the dictionary target and the team median), ranked by impact, veto first, each
with 1–3 evidence snippets and the training module to take."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from coaching.dictionary import MetricDictionary
from coaching.metrics import AgentPeriodData, MetricValue
from coaching.skills import SkillCatalogue
from inspection.types import Finding

SEVERITY_WEIGHT = {"info": 0.5, "minor": 1.0, "major": 2.0, "critical": 3.0}
GAP_WEIGHT = 1.0  # impact of one metric gap (twice when worse than both target and median)


@dataclass(frozen=True)
class EvidenceSnippet:
    """Where the problem was heard: conversation, utterance, time span and text."""

    conversation_id: str
    rule_id: str
    utterance_index: int | None
    role: str | None
    start: float | None
    end: float | None
    text: str
    explanation: str


@dataclass(frozen=True)
class MetricGap:
    """A metric worse than its target and/or the team median."""

    metric: str
    label: str
    value: float
    target: float | None
    team_median: float | None
    worse_than_target: bool
    worse_than_median: bool


@dataclass(frozen=True)
class Recommendation:
    """Train `skill` with `module_id`, because of these findings and gaps."""

    agent_id: str
    skill: str
    skill_label: str
    module_id: str | None
    module_title: str | None
    impact: float
    veto: bool
    finding_count: int
    conversation_count: int
    rule_ids: tuple[str, ...]
    metric_gaps: tuple[MetricGap, ...]
    evidence: tuple[EvidenceSnippet, ...]


@dataclass
class _Tally:
    findings: list[tuple[str, Finding]] = field(default_factory=list)
    gaps: list[MetricGap] = field(default_factory=list)


def team_medians(cards_metrics: Sequence[Mapping[str, MetricValue]]) -> dict[str, float | None]:
    """Median of each metric over the agents that have a value for it."""
    names = {name for metrics in cards_metrics for name in metrics}
    medians: dict[str, float | None] = {}
    for name in sorted(names):
        values = [m[name].value for m in cards_metrics if name in m and m[name].value is not None]
        medians[name] = statistics.median(v for v in values if v is not None) if values else None
    return medians


def metric_gaps(
    metrics: Mapping[str, MetricValue],
    medians: Mapping[str, float | None],
    dictionary: MetricDictionary,
) -> list[tuple[str, MetricGap]]:
    """(skill, gap) for every metric with a skill whose value is worse than target or median."""
    gaps = []
    for definition in dictionary.metrics:
        value = metrics.get(definition.name)
        if definition.skill is None or value is None or value.value is None:
            continue
        target, median = definition.target, medians.get(definition.name)
        below_target = target is not None and definition.better(target, value.value)
        below_median = median is not None and definition.better(median, value.value)
        if below_target or below_median:
            gap = MetricGap(
                definition.name,
                definition.label,
                round(value.value, 4),
                target,
                None if median is None else round(median, 4),
                below_target,
                below_median,
            )
            gaps.append((definition.skill, gap))
    return gaps


def recommend(
    data: AgentPeriodData,
    metrics: Mapping[str, MetricValue],
    medians: Mapping[str, float | None],
    dictionary: MetricDictionary,
    catalogue: SkillCatalogue,
    max_evidence: int = 3,
) -> list[Recommendation]:
    """The agent's recommendations for the period, most important first."""
    tallies: dict[str, _Tally] = {}
    for conversation, result in data.inspected:
        for finding in result.findings:
            skill = catalogue.skill_of(finding.rule_id, finding.coaching)
            if skill is not None:
                tallies.setdefault(skill, _Tally()).findings.append((conversation.id, finding))
    for skill, gap in metric_gaps(metrics, medians, dictionary):
        tallies.setdefault(skill, _Tally()).gaps.append(gap)
    recommendations = [
        _build(data.agent_id, skill, tally, catalogue, max_evidence) for skill, tally in tallies.items()
    ]
    return sorted(recommendations, key=lambda r: (not r.veto, -r.impact, r.skill))


def _build(
    agent_id: str, skill: str, tally: _Tally, catalogue: SkillCatalogue, max_evidence: int
) -> Recommendation:
    impact = sum(SEVERITY_WEIGHT[f.severity] for _, f in tally.findings)
    impact += sum(GAP_WEIGHT * (g.worse_than_target + g.worse_than_median) for g in tally.gaps)
    known = catalogue.skill(skill)
    module = catalogue.module_for(skill)
    return Recommendation(
        agent_id=agent_id,
        skill=skill,
        skill_label=known.label if known else skill,
        module_id=module.id if module else None,
        module_title=module.title if module else None,
        impact=round(impact, 2),
        veto=any(f.veto for _, f in tally.findings),
        finding_count=len(tally.findings),
        conversation_count=len({cid for cid, _ in tally.findings}),
        rule_ids=tuple(sorted({f.rule_id for _, f in tally.findings})),
        metric_gaps=tuple(tally.gaps),
        evidence=select_evidence(tally.findings, max_evidence),
    )


def select_evidence(findings: Sequence[tuple[str, Finding]], limit: int = 3) -> tuple[EvidenceSnippet, ...]:
    """Up to `limit` snippets: vetoes and severe findings first, one per conversation first."""
    ordered = sorted(
        findings,
        key=lambda item: (
            not item[1].veto,
            -SEVERITY_WEIGHT[item[1].severity],
            item[0],
            item[1].evidence.utterance_index if item[1].evidence else -1,
        ),
    )
    chosen: list[tuple[str, Finding]] = []
    seen: set[str] = set()
    for item in ordered:  # first pass: distinct conversations
        if item[0] not in seen and len(chosen) < limit:
            chosen.append(item)
            seen.add(item[0])
    for item in ordered:  # then fill up with further findings
        if item not in chosen and len(chosen) < limit:
            chosen.append(item)
    return tuple(_snippet(conversation_id, finding) for conversation_id, finding in chosen)


def _snippet(conversation_id: str, finding: Finding) -> EvidenceSnippet:
    evidence = finding.evidence
    return EvidenceSnippet(
        conversation_id=conversation_id,
        rule_id=finding.rule_id,
        utterance_index=evidence.utterance_index if evidence else None,
        role=evidence.role if evidence else None,
        start=evidence.start if evidence else None,
        end=evidence.end if evidence else None,
        text=evidence.text if evidence else "",
        explanation=finding.explanation,
    )
