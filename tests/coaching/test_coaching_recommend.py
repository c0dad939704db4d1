"""Coaching: skills from findings and metric gaps, ranking, evidence, heatmap, effectiveness."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from coaching.dictionary import load_metric_dictionary
from coaching.effectiveness import plan_effectiveness, skill_heatmap
from coaching.metrics import AgentPeriodData, MetricValue
from coaching.recommend import metric_gaps, recommend, team_medians
from coaching.skills import load_skill_catalogue
from tests.coaching.coaching_builders import finding, inspected

DICTIONARY = load_metric_dictionary()
CATALOGUE = load_skill_catalogue()
LEAD_SKILL_TAGS = {
    "compliance_script",
    "identity_verification",
    "risk_disclosure",
    "compliance_redline",
    "collection_conduct",
    "service_language",
    "emotion_handling",
    "hold_etiquette",
    "complaint_handling",
    "efficiency",
    "product_knowledge",
}


def test_skill_catalogue_uses_exactly_the_rule_coaching_tags() -> None:
    assert {skill.id for skill in CATALOGUE.skills} == LEAD_SKILL_TAGS
    for skill in CATALOGUE.skills:
        module = CATALOGUE.module_for(skill.id)
        assert module is not None and module.skill == skill.id
    assert {m.skill for m in DICTIONARY.metrics if m.skill} <= LEAD_SKILL_TAGS


def test_repeated_risk_disclosure_gets_the_risk_module_with_evidence_from_those_calls() -> None:
    calls = (
        inspected("c-101", findings=(finding("fin.risk_disclosure", 4, "这款基金收益很稳", 31.0),)),
        inspected("c-102", findings=(finding("fin.risk_disclosure", 6, "年化能到百分之八", 52.5),)),
        inspected(
            "c-103",
            findings=(
                finding("fin.risk_disclosure", 2, "放心买就行", 12.0),
                finding("svc.greeting", 0, "喂", 0.0),
            ),
        ),
        inspected("c-104"),
    )
    recs = recommend(AgentPeriodData("A023", (), calls), {}, {}, DICTIONARY, CATALOGUE)
    top = recs[0]
    assert (top.skill, top.module_id) == ("risk_disclosure", "M-RISK-101")
    assert top.finding_count == 3 and top.conversation_count == 3
    assert top.impact == 6.0  # 3 major findings × 2
    assert top.rule_ids == ("fin.risk_disclosure",)
    assert [(e.conversation_id, e.utterance_index, e.start, e.text) for e in top.evidence] == [
        ("c-101", 4, 31.0, "这款基金收益很稳"),
        ("c-102", 6, 52.5, "年化能到百分之八"),
        ("c-103", 2, 12.0, "放心买就行"),
    ]
    assert recs[1].skill == "service_language" and recs[1].module_id == "M-SVC-101"


def test_veto_ranks_first_then_impact() -> None:
    calls = (
        inspected("c1", findings=tuple(finding("fin.risk_disclosure", i) for i in range(5))),
        inspected("c2", findings=(finding("fin.sensitive_info_request", 3, "把验证码告诉我"),)),
        inspected("c3", findings=(finding("svc.greeting"), finding("svc.impatience"))),
    )
    recs = recommend(AgentPeriodData("A031", (), calls), {}, {}, DICTIONARY, CATALOGUE)
    assert [(r.skill, r.veto, r.impact) for r in recs] == [
        ("compliance_redline", True, 3.0),
        ("risk_disclosure", False, 10.0),
        ("emotion_handling", False, 1.0),
        ("service_language", False, 1.0),
    ]
    # five findings in one call: distinct calls first, then the same call fills up to three
    assert [e.utterance_index for e in recs[1].evidence] == [0, 1, 2]


def test_untagged_finding_falls_back_to_the_rule_table() -> None:
    from dataclasses import replace

    untagged = replace(finding("svc.hold_etiquette"), coaching=None)
    recs = recommend(
        AgentPeriodData("A017", (), (inspected("c1", findings=(untagged,)),)),
        {},
        {},
        DICTIONARY,
        CATALOGUE,
    )
    assert recs[0].skill == "hold_etiquette"


def mv(name: str, value: float | None) -> MetricValue:
    return MetricValue(name, value)


def test_metric_gaps_against_target_and_team_median() -> None:
    agents = [
        {
            "csat_satisfied_rate": mv("csat_satisfied_rate", 80.0),
            "handle_seconds_mean": mv("handle_seconds_mean", 300.0),
        },
        {
            "csat_satisfied_rate": mv("csat_satisfied_rate", 90.0),
            "handle_seconds_mean": mv("handle_seconds_mean", 420.0),
        },
        {
            "csat_satisfied_rate": mv("csat_satisfied_rate", 95.0),
            "handle_seconds_mean": mv("handle_seconds_mean", None),
        },
    ]
    medians = team_medians(agents)
    assert medians["csat_satisfied_rate"] == 90.0
    assert medians["handle_seconds_mean"] == 360.0
    gaps = dict(metric_gaps(agents[0], medians, DICTIONARY))
    # 80% < target 85 and < median 90 → emotion_handling; AHT 300 s beats both → no gap
    assert set(gaps) == {"emotion_handling"}
    assert gaps["emotion_handling"].worse_than_target and gaps["emotion_handling"].worse_than_median
    second = dict(metric_gaps(agents[1], medians, DICTIONARY))
    assert set(second) == {"efficiency"}  # 420 s > target 360 and > median 360
    recs = recommend(AgentPeriodData("A017"), agents[0], medians, DICTIONARY, CATALOGUE)
    assert [(r.skill, r.impact, r.module_id) for r in recs] == [("emotion_handling", 2.0, "M-EMO-101")]
    assert recs[0].evidence == ()


def test_heatmap() -> None:
    per_agent = {
        "A017": AgentPeriodData(
            "A017",
            (),
            (
                inspected("c1", findings=(finding("fin.risk_disclosure"),)),
                inspected("c2"),
            ),
        ),
        "A023": AgentPeriodData("A023"),
    }
    heat = skill_heatmap(per_agent, CATALOGUE)
    assert heat.agents == ("A017", "A023")
    assert heat.skills[0] == "compliance_script"
    assert heat.rate("A017", "risk_disclosure") == 50.0
    assert heat.rate("A017", "service_language") == 0.0
    assert heat.rate("A023", "risk_disclosure") is None  # no conversations: unknown, not 0


def test_plan_effectiveness_before_and_after() -> None:
    bad = (finding("fin.risk_disclosure"),)
    items = (
        inspected("b1", started="2026-10-01 10:00", findings=bad),
        inspected("b2", started="2026-10-02 10:00", findings=bad),
        inspected("b3", started="2026-10-03 10:00"),
        inspected("b4", started="2026-10-04 10:00", findings=bad),
        inspected("a1", started="2026-10-20 10:00"),
        inspected("a2", started="2026-10-21 10:00", findings=bad),
        inspected("x1", agent="A023", started="2026-10-21 10:00", findings=bad),
        inspected("old", started="2026-08-01 10:00"),
    )
    done = datetime(2026, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    outcome = plan_effectiveness(items, "A017", "risk_disclosure", done, CATALOGUE)
    assert (outcome.before_conversations, outcome.after_conversations) == (5, 2)
    assert outcome.before_rate == pytest.approx(60.0)  # 3 of 5 (incl. the August call)
    assert outcome.after_rate == pytest.approx(50.0)
    assert outcome.change == pytest.approx(-10.0) and outcome.improved is True
    windowed = plan_effectiveness(items, "A017", "risk_disclosure", done, CATALOGUE, 30)
    assert windowed.before_rate == pytest.approx(75.0)  # 3 of 4 within 30 days
    none_after = plan_effectiveness(items[:4], "A017", "risk_disclosure", done, CATALOGUE)
    assert none_after.after_rate is None and none_after.improved is None
