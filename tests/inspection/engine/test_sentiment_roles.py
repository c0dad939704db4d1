"""`RuleSet.sentiment_roles`: the roles whose sentiment some rule reads, plus the customer's.

A sentiment condition reads its own `role`, else its rule's (`any`: every role), however deeply
it is nested (`all` / `any` / `not`, `required`'s trigger) and in `applies_when` too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inspection.engine import load_rules
from inspection.engine.registry import CONDITION_ADAPTER
from tests.inspection.engine.engine_builders import pack_text

ANGRY = "type: sentiment\nmax_score: 0.25\n"


def roles_of(tmp_path: Path, condition: str, *, role: str = "agent") -> set[str]:
    (tmp_path / "test.yaml").write_text(pack_text(condition, role=role), encoding="utf-8")
    return set(load_rules(tmp_path).sentiment_roles)


def test_default_packs_need_only_the_customers_turns() -> None:
    assert load_rules().sentiment_roles == {"customer"}


@pytest.mark.parametrize(("condition", "rule_role", "expected"), [
    pytest.param(ANGRY, "customer", {"customer"}, id="rule-role-customer"),
    pytest.param(ANGRY, "agent", {"agent", "customer"}, id="rule-role-agent"),
    pytest.param(ANGRY, "any", {"agent", "customer"}, id="rule-role-any"),
    pytest.param("type: any\nconditions: [{type: sentiment, role: agent}]", "customer",
                 {"agent", "customer"}, id="nested-own-role"),
    pytest.param("type: any\nconditions: [{type: sentiment, role: any}]", "customer",
                 {"agent", "customer"}, id="nested-own-role-any"),
    pytest.param("type: all\nconditions: [{type: keyword, keywords: [抱歉]}, {type: sentiment}]",
                 "agent", {"agent", "customer"}, id="all-rule-role"),
    pytest.param("type: not\ncondition: {type: all, conditions: [{type: sentiment}]}", "agent",
                 {"agent", "customer"}, id="deeply-nested-rule-role"),
    pytest.param("type: not\ncondition: {type: sentiment, role: customer}", "agent",
                 {"customer"}, id="not-own-role"),
    pytest.param("type: required\nkeywords: [抱歉]\n"
                 "trigger: {type: sentiment, role: customer}", "agent", {"customer"},
                 id="required-trigger"),
    pytest.param("type: required\nkeywords: [抱歉]\n"
                 "trigger: {type: any, conditions: [{type: sentiment}]}", "agent",
                 {"agent", "customer"}, id="required-trigger-nested-rule-role"),
    pytest.param("type: keyword\nkeywords: [抱歉]", "agent", {"customer"}, id="no-sentiment"),
    pytest.param("type: keyword\nkeywords: [抱歉]", "any", {"customer"},
                 id="no-sentiment-role-any"),
])
def test_roles_follow_the_sentiment_conditions(tmp_path: Path, condition: str, rule_role: str,
                                               expected: set[str]) -> None:
    assert roles_of(tmp_path, condition, role=rule_role) == expected


def test_roles_include_applicability_conditions(tmp_path: Path) -> None:
    condition = ("type: keyword\nkeywords: [抱歉]\napplies_when:\n"
                 "  condition: {type: sentiment, role: agent}")
    assert roles_of(tmp_path, condition, role="customer") == {"agent", "customer"}


def test_applicability_condition_reads_the_rules_role(tmp_path: Path) -> None:
    condition = ("type: keyword\nkeywords: [抱歉]\napplies_when:\n"
                 "  condition: {type: not, condition: {type: sentiment}}")
    assert roles_of(tmp_path, condition, role="agent") == {"agent", "customer"}


def test_walk_visits_every_nested_condition_depth_first() -> None:
    condition = CONDITION_ADAPTER.validate_python({
        "type": "all", "conditions": [
            {"type": "not", "condition": {"type": "keyword", "keywords": ["抱歉"]}},
            {"type": "required", "keywords": ["您好"], "trigger": {"type": "sentiment"}},
        ]})
    assert [c.type for c in condition.walk()] == ["all", "not", "keyword", "required",
                                                  "sentiment"]
