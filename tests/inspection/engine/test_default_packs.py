"""The bundled packs: every rule's own examples pass, every public rule id exists, and
`zhijian rules check` exits 0."""

from __future__ import annotations

from typing import Any

import pytest

from inspection.engine import Rule, load_rules
from inspection.engine import cli as rules_cli
from inspection.engine.examples import run_example
from inspection.engine.schema import Example, ExampleConversation
from tests.inspection.engine.engine_builders import DESIGN_RULE_IDS
from zhijian import cli

RULES = load_rules()


def example_cases() -> list[Any]:
    cases = []
    for rule in RULES.rules:
        for expected, examples in ((True, rule.header.examples.hit),
                                   (False, rule.header.examples.miss)):
            for number, example in enumerate(examples, 1):
                label = f"{rule.id}-{'hit' if expected else 'miss'}{number}"
                cases.append(pytest.param(rule, example, expected, id=label))
    return cases


@pytest.mark.parametrize(("rule", "example", "expected"), example_cases())
def test_rule_example(rule: Rule, example: Example, expected: bool) -> None:
    assert run_example(rule, example, None) is expected


def test_every_public_rule_id_is_present() -> None:
    assert set(DESIGN_RULE_IDS) <= {rule.id for rule in RULES.rules}


@pytest.mark.parametrize("rule", RULES.rules, ids=lambda rule: rule.id)
def test_rule_has_three_hit_and_three_miss_examples(rule: Rule) -> None:
    assert len(rule.header.examples.hit) >= 3
    assert len(rule.header.examples.miss) >= 3


def uses_sentiment(rule: Rule) -> bool:
    return any(condition.type == "sentiment" for condition in rule.condition.walk())


@pytest.mark.parametrize("rule", [r for r in RULES.rules if uses_sentiment(r)],
                         ids=lambda rule: rule.id)
def test_sentiment_examples_carry_their_scores(rule: Rule) -> None:
    examples = [*rule.header.examples.hit, *rule.header.examples.miss]
    assert all(isinstance(e, ExampleConversation) and e.sentiment is not None
               and len(e.sentiment) == len(e.utterances) for e in examples)


def test_rules_check_exits_zero(monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    # The sentiment examples carry their scores, so the model is not needed (nor loaded).
    monkeypatch.setattr(rules_cli, "load_default_sentiment", lambda model_dir=None: None)
    assert cli.main(["rules", "check"]) == 0
    out = capsys.readouterr().out
    assert "0 个示例失败" in out
    assert all(f"✓ {rule_id} " in out for rule_id in DESIGN_RULE_IDS)
