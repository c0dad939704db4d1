"""`zhijian inspect --format json`: every finding carries a public rule id and its evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inspection.engine import load_rules
from inspection.loaders import load_conversations
from inspection.pipeline import discover
from inspection.text import normalise
from inspection.types import Conversation
from tests.inspection.engine.engine_builders import DESIGN_RULE_IDS
from zhijian.cli import main

EVIDENCE_KEYS = {"utterance_index", "role", "start", "end", "text", "confidence"}


def inspect_examples(examples_dir: Path, capsys: pytest.CaptureFixture[str]
                     ) -> list[dict[str, Any]]:
    """The JSON lines of every conversation in the folder (each line must parse)."""
    assert main(["inspect", str(examples_dir), "--format", "json", "--no-sentiment"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def conversations(examples_dir: Path) -> dict[str, Conversation]:
    return {conversation.id: conversation
            for path in discover([examples_dir])
            for conversation in load_conversations(path)}


def test_json_findings_carry_rule_ids_and_evidence(examples_dir: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    records = inspect_examples(examples_dir, capsys)
    inputs = conversations(examples_dir)
    known_ids = set(DESIGN_RULE_IDS) | {rule.id for rule in load_rules().rules}
    assert {r["id"] for r in records} == set(inputs)
    findings = [(record["id"], f) for record in records for f in record["findings"]]
    assert findings, "the bundled examples should produce findings"
    for conversation_id, finding in findings:
        assert finding["rule_id"] in known_ids
        assert {"rule_version", "category", "severity", "deduction", "veto"} <= finding.keys()
        if finding["evidence"] is not None:
            check_evidence(finding["evidence"], inputs[conversation_id])
        else:
            assert not finding["veto"], "a veto must point at what the agent said"
    fired = {finding["rule_id"] for _, finding in findings}
    assert {"fin.guaranteed_return", "fin.collection_abuse", "risk.complaint_intent"} <= fired


def check_evidence(evidence: dict[str, Any], conversation: Conversation) -> None:
    assert evidence.keys() >= EVIDENCE_KEYS
    utterance = conversation.utterances[evidence["utterance_index"]]
    assert evidence["role"] == utterance.role
    assert utterance.start <= evidence["start"] <= evidence["end"] <= utterance.end
    assert evidence["text"] and evidence["text"] in normalise(utterance.text)

