"""The runner: `applies_when` (fields, `match`, `metadata_not`, a condition)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.inspection.engine.engine_builders import load_rule, run

A, C = "agent", "customer"
APPLIES = "type: keyword\nkeywords: [保本]\napplies_when: {applies}\n"


@pytest.mark.parametrize(("applies", "options", "fires"), [
    pytest.param("{direction: outbound}", {"direction": "outbound"}, True, id="direction"),
    pytest.param("{direction: outbound}", {"direction": "inbound"}, False, id="direction-other"),
    pytest.param("{channel: voice}", {"channel": "chat"}, False, id="channel"),
    pytest.param("{industry: [finance]}", {"industry": "finance"}, True, id="industry"),
    pytest.param("{industry: [finance]}", {}, False, id="industry-missing"),
    pytest.param("{metadata: {call_type: [sales]}}", {"metadata": {"call_type": "sales"}}, True,
                 id="metadata"),
    pytest.param("{metadata: {call_type: [sales]}}", {"metadata": {"call_type": "x"}}, False,
                 id="metadata-other"),
    pytest.param("{match: any, direction: outbound, metadata: {call_type: [sales]}}",
                 {"metadata": {"call_type": "sales"}}, True, id="match-any"),
    pytest.param("{direction: outbound, metadata: {call_type: [sales]}}",
                 {"metadata": {"call_type": "sales"}}, False, id="match-all"),
    pytest.param("{match: any, industry: [finance], direction: outbound}",
                 {"direction": "outbound", "industry": "ecommerce"}, False,
                 id="industry-required-with-match-any"),
    pytest.param("{match: any, industry: [finance], direction: outbound}",
                 {"direction": "outbound", "industry": "finance"}, True,
                 id="industry-and-any-field"),
    pytest.param("{metadata_not: {ivr_recording_notice: true}}",
                 {"metadata": {"ivr_recording_notice": True}}, False, id="metadata-not"),
    pytest.param("{condition: {type: keyword, role: customer, keywords: [理财]}}", {}, True,
                 id="condition-holds"),
    pytest.param("{condition: {type: keyword, role: customer, keywords: [基金]}}", {}, False,
                 id="condition-fails"),
])
def test_applies_when(tmp_path: Path, applies: str, options: dict[str, Any], fires: bool
                      ) -> None:
    rule = load_rule(tmp_path, APPLIES.format(applies=applies))
    assert bool(run(rule, [(C, "我想买理财"), (A, "这个保本")], **options)) is fires
