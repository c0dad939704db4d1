"""The real model on a synthesised call: the finance veto is found only once the recording's
metadata says the call is a finance one (`--metadata`), as a recording system would export it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhijian.cli import main

pytestmark = pytest.mark.slow

CALLS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "calls"
VETO_CALL = CALLS_DIR / "fin_wealth_guaranteed_return.flac"


def test_the_guaranteed_return_veto_needs_the_industry_from_the_metadata(
    capsys: pytest.CaptureFixture[str], cache_home: Path, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    reference = json.loads(VETO_CALL.with_suffix(".json").read_text(encoding="utf-8"))
    table = tmp_path / "calls.csv"
    table.write_text("file,id,agent_id,direction,industry\n"
                     f"{VETO_CALL.name},{reference['id']},{reference['agent_id']},"
                     f"{reference['direction']},{reference['industry']}\n", encoding="utf-8")
    args = ["inspect", str(VETO_CALL), "--format", "json", "--no-sentiment"]
    assert main(args) == 0
    without = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert main([*args, "--metadata", str(table)]) == 0
    given = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert (given["id"], given["agent_id"]) == (reference["id"], reference["agent_id"])
    vetoes = given["veto_rule_ids"] + given["pending_veto_rule_ids"]
    assert "fin.guaranteed_return" in vetoes, given
    assert "fin.guaranteed_return" not in without["veto_rule_ids"] + without["pending_veto_rule_ids"]
