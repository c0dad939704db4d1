"""Sentiment runs once, and only on the turns something reads (`sentiment_roles`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from inspection.engine import load_rules
from inspection.loaders import load_conversations
from inspection.pipeline import inspect_conversation, predict_sentiment, sentiment_roles
from inspection.sentiment import LexiconSentiment
from inspection.types import SentimentResult
from tests.inspection.engine.engine_builders import conversation, pack_text

ANGRY = "type: sentiment\nmax_score: 0.25\n"


class CountingAnalyzer:
    """The lexicon analyzer, recording every call's texts."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.lexicon = LexiconSentiment()

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        self.calls.append(list(texts))
        return self.lexicon.predict(texts)


def roles_of(tmp_path: Path, condition: str, *, role: str = "agent") -> set[str]:
    (tmp_path / "test.yaml").write_text(pack_text(condition, role=role), encoding="utf-8")
    return set(sentiment_roles(load_rules(tmp_path)))


def test_default_packs_need_only_the_customers_turns() -> None:
    assert sentiment_roles(load_rules()) == {"customer"}


@pytest.mark.parametrize(("condition", "rule_role", "expected"), [
    pytest.param(ANGRY, "customer", {"customer"}, id="rule-role-customer"),
    pytest.param(ANGRY, "agent", {"agent", "customer"}, id="rule-role-agent"),
    pytest.param(ANGRY, "any", {"agent", "customer"}, id="rule-role-any"),
    pytest.param("type: any\nconditions: [{type: sentiment, role: agent}]", "customer",
                 {"agent", "customer"}, id="nested-own-role"),
    pytest.param("type: not\ncondition: {type: all, conditions: [{type: sentiment}]}", "agent",
                 {"agent", "customer"}, id="deeply-nested-rule-role"),
    pytest.param("type: required\nkeywords: [抱歉]\n"
                 "trigger: {type: sentiment, role: customer}", "agent", {"customer"},
                 id="required-trigger"),
    pytest.param("type: keyword\nkeywords: [抱歉]", "agent", {"customer"}, id="no-sentiment"),
])
def test_roles_follow_the_sentiment_conditions(tmp_path: Path, condition: str, rule_role: str,
                                               expected: set[str]) -> None:
    assert roles_of(tmp_path, condition, role=rule_role) == expected


def test_roles_include_applicability_conditions(tmp_path: Path) -> None:
    condition = ("type: keyword\nkeywords: [抱歉]\napplies_when:\n"
                 "  condition: {type: sentiment, role: agent}")
    assert roles_of(tmp_path, condition, role="customer") == {"agent", "customer"}


def test_predict_sentiment_analyses_only_the_wanted_turns_in_one_call() -> None:
    analyzer = CountingAnalyzer()
    conv = conversation([("agent", "您好"), ("customer", "太差了，气死我了"),
                         ("agent", "抱歉"), ("customer", "好的，谢谢")])
    results = predict_sentiment(conv, analyzer, frozenset({"customer"}))
    assert analyzer.calls == [["太差了，气死我了", "好的，谢谢"]]
    assert results[0] is None and results[2] is None
    assert results[1] == LexiconSentiment().predict(["太差了，气死我了"])[0]
    assert results[3] == LexiconSentiment().predict(["好的，谢谢"])[0]


def test_predict_sentiment_defaults_to_every_turn() -> None:
    analyzer = CountingAnalyzer()
    conv = conversation([("agent", "您好"), ("customer", "太差了")])
    assert all(r is not None for r in predict_sentiment(conv, analyzer))
    assert analyzer.calls == [["您好", "太差了"]]


def test_findings_are_the_same_as_with_every_turn_analysed(examples_dir: Path) -> None:
    """Skipping the turns no rule reads changes no finding and no score."""
    rules = load_rules()
    lexicon = LexiconSentiment()
    for path in sorted(examples_dir.iterdir()):
        for conv in load_conversations(path):
            analyzer = CountingAnalyzer()
            every_turn = lexicon.predict([u.text for u in conv.utterances])
            expected = inspect_conversation(conv, rules, sentiments=every_turn)
            assert inspect_conversation(conv, rules, sentiment=analyzer) == expected
            customer_texts = [u.text for u in conv.utterances if u.role == "customer"]
            assert analyzer.calls == [customer_texts]
