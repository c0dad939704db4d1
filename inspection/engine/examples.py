"""Run every rule's own `examples`: each must-hit must fire the rule, each must-miss must not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from inspection.engine.loader import RuleSet
from inspection.engine.runner import run_rule
from inspection.engine.schema import Example, ExampleConversation, Rule
from inspection.text import prepare_conversation
from inspection.types import Conversation, SentimentAnalyzer, SentimentResult

_ROLE_PREFIX = re.compile(r"^\s*(agent|customer|坐席|客户)\s*[:：]\s*")
_ROLE_NAMES = {"agent": "agent", "customer": "customer", "坐席": "agent", "客户": "customer"}
SECONDS_PER_TURN = 5.0


@dataclass(frozen=True)
class ExampleOutcome:
    rule_id: str
    expected_hit: bool
    fired: bool
    example: str

    @property
    def passed(self) -> bool:
        return self.expected_hit == self.fired


def example_conversation(example: Example, rule: Rule) -> tuple[Conversation, list[float] | None]:
    """A conversation for an example: a string is one utterance of the rule's role, or one
    utterance per line when lines start with "agent:" / "customer:"."""
    if isinstance(example, str):
        example = ExampleConversation(utterances=_utterances_from_text(example, rule))
    utterances = []
    for i, u in enumerate(example.utterances):
        start = u.start if u.start is not None else i * SECONDS_PER_TURN
        end = u.end if u.end is not None else start + SECONDS_PER_TURN - 1
        utterances.append({"role": u.role, "text": u.text, "start": start, "end": end})
    conversation = Conversation.model_validate({
        "id": f"example-{rule.id}", "channel": example.channel, "direction": example.direction,
        "industry": example.industry, "metadata": example.metadata, "utterances": utterances,
    })
    return conversation, example.sentiment


def _utterances_from_text(text: str, rule: Rule) -> list[dict[str, str]]:
    default_role = "agent" if rule.header.role == "any" else rule.header.role
    lines = [line for line in text.strip().splitlines() if line.strip()]
    out = []
    for line in lines:
        match = _ROLE_PREFIX.match(line)
        role = _ROLE_NAMES[match.group(1)] if match else default_role
        out.append({"role": role, "text": line[match.end():] if match else line})
    return out


def run_example(rule: Rule, example: Example, sentiment: SentimentAnalyzer | None) -> bool:
    conversation, scores = example_conversation(example, rule)
    if scores is not None:
        results = [SentimentResult("negative" if s < 0.35 else "positive" if s > 0.65
                                   else "neutral", s) for s in scores]
    elif sentiment is not None:
        results = sentiment.predict([u.text for u in conversation.utterances])
    else:
        results = None
    return bool(run_rule(rule, prepare_conversation(conversation, results)))


def run_examples(rules: RuleSet, sentiment: SentimentAnalyzer | None = None
                 ) -> Iterator[ExampleOutcome]:
    for rule in rules.rules:
        for expected, examples in ((True, rule.header.examples.hit),
                                   (False, rule.header.examples.miss)):
            for example in examples:
                fired = run_example(rule, example, sentiment)
                yield ExampleOutcome(rule.id, expected, fired, _label(example))


def _label(example: Example) -> str:
    if isinstance(example, str):
        return example.strip().replace("\n", " / ")
    return " / ".join(f"{u.role}: {u.text}" for u in example.utterances)
