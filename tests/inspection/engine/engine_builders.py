"""Small builders for engine tests: rules loaded from YAML text, conversations from turns."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inspection.engine import Rule, load_rules, run_rule
from inspection.text import prepare_conversation
from inspection.types import Conversation, Finding, SentimentResult

# The public contract of docs/design.md's table: reports, appeals and dashboards key on these ids.
DESIGN_RULE_IDS = (
    "fin.recording_notice", "fin.identity_verification", "fin.risk_disclosure",
    "fin.guaranteed_return", "fin.sensitive_info_request", "fin.collection_abuse",
    "svc.greeting", "svc.closing", "svc.forbidden_phrase", "svc.abusive_language",
    "svc.impatience", "svc.empathy_missing", "svc.hold_etiquette", "risk.complaint_intent",
    "risk.unresolved_anger",
)

RULE_HEADER = """\
id: {rule_id}
version: 1
name: 测试规则
description: 引擎测试用的规则
category: compliance
severity: major
deduction: 10
role: {role}
examples: {{hit: [示例], miss: [示例]}}
"""

# A turn: (role, text) or (role, text, start, end). Without times, turn i spans [5i, 5i+4].
Turn = tuple[str, str] | tuple[str, str, float, float]


def pack_text(condition: str, *, role: str = "agent", rule_id: str = "test.rule",
              lists: str = "", pack: str = "test") -> str:
    """One pack file holding one rule: the common header plus the `condition` YAML."""
    rule = RULE_HEADER.format(rule_id=rule_id, role=role) + textwrap.dedent(condition).strip()
    body = textwrap.indent(rule, "    ")
    body = "  - " + body[4:]
    lists_block = f"lists:\n{textwrap.indent(textwrap.dedent(lists).strip(), '  ')}\n" if lists else ""
    return f"pack: {pack}\n{lists_block}rules:\n{body}\n"


def load_rule(directory: Path, condition: str, *, role: str = "agent", lists: str = "") -> Rule:
    """Write a one-rule pack into `directory` and load it through the real loader."""
    (directory / "test.yaml").write_text(pack_text(condition, role=role, lists=lists),
                                        encoding="utf-8")
    rules = load_rules(directory)
    assert len(rules.rules) == 1
    return rules.rules[0]


def conversation(turns: Sequence[Turn], *, channel: str = "chat", direction: str = "inbound",
                 metadata: dict[str, Any] | None = None, industry: str | None = None
                 ) -> Conversation:
    utterances = []
    for i, turn in enumerate(turns):
        role, text = turn[0], turn[1]
        start, end = (turn[2], turn[3]) if len(turn) == 4 else (5.0 * i, 5.0 * i + 4)
        utterances.append({"role": role, "text": text, "start": start, "end": end})
    return Conversation.model_validate({
        "id": "test-conversation", "channel": channel, "direction": direction,
        "industry": industry, "metadata": metadata or {}, "utterances": utterances,
    })


def sentiments(scores: Sequence[float]) -> list[SentimentResult]:
    return [SentimentResult("negative" if s < 0.35 else "positive" if s > 0.65 else "neutral", s)
            for s in scores]


def run(rule: Rule, turns: Sequence[Turn], *, scores: Sequence[float] | None = None,
        **options: Any) -> list[Finding]:
    """The findings of `rule` on a conversation built from `turns`."""
    conv = conversation(turns, **options)
    prepared = prepare_conversation(conv, sentiments(scores) if scores is not None else None)
    return run_rule(rule, prepared)


def evidence_texts(findings: Sequence[Finding]) -> list[str]:
    return [f.evidence.text for f in findings if f.evidence is not None]


def locations(findings: Sequence[Finding]) -> list[int | None]:
    """The utterance index of each finding; None for a finding about the whole call."""
    return [f.evidence.utterance_index if f.evidence else None for f in findings]


def indexes(findings: Sequence[Finding]) -> list[int]:
    """The utterance indexes of the findings located in an utterance."""
    return [f.evidence.utterance_index for f in findings if f.evidence is not None]


def spans(findings: Sequence[Finding]) -> list[tuple[int, str] | None]:
    """(utterance index, evidence text) per finding; None for a finding about the whole call."""
    return [(f.evidence.utterance_index, f.evidence.text) if f.evidence else None
            for f in findings]
