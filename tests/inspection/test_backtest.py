"""`zhijian rules backtest` and `inspection.backtest`: per rule fired before/after, newly flagged
and cleared with the utterance and evidence, score and veto changes, agents affected; service
exports read as their stored turns; recordings never transcribed again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from inspection.backtest import backtest, paired_pipelines
from inspection.backtest_inputs import load_texts
from inspection.backtest_report import diff_to_dict
from inspection.engine import DEFAULT_RULES_DIR, load_rules
from inspection.pipeline import Pipeline, PipelineSettings
from zhijian.cli import main

NEW_VETO = """\
pack: extra
rules:
  - id: test.reckless_promise
    version: 1
    name: 夸大承诺
    description: 坐席说"绝对靠谱"
    category: compliance
    severity: critical
    deduction: 100
    veto: true
    type: keyword
    keywords: [绝对靠谱]
    examples:
      hit: [这个产品绝对靠谱]
      miss: [这个产品有风险]
"""
OLD_RULE = """\
pack: old
rules:
  - id: test.filler_word
    version: 1
    name: 口头禅
    description: 坐席说"那个那个"
    category: courtesy
    severity: minor
    deduction: 5
    type: keyword
    keywords: [那个那个]
    examples:
      hit: [那个那个您稍等]
      miss: [您稍等]
"""


def conversation(conversation_id: str, agent_id: str, text: str) -> dict[str, Any]:
    return {"id": conversation_id, "channel": "chat", "agent_id": agent_id,
            "utterances": [{"role": "customer", "text": "我想问一下理财产品"},
                           {"role": "agent", "text": text}]}


@pytest.fixture
def packs(tmp_path: Path) -> tuple[Path, Path]:
    """(baseline: old.yaml, candidate: extra.yaml) — small packs of their own, so the figures
    do not move when the bundled packs are tuned."""
    baseline, candidate = tmp_path / "baseline", tmp_path / "candidate"
    for folder, name, text in ((baseline, "old.yaml", OLD_RULE), (candidate, "extra.yaml", NEW_VETO)):
        folder.mkdir()
        (folder / name).write_text(text, encoding="utf-8")
    return baseline, candidate


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    folder = tmp_path / "calls"
    folder.mkdir()
    rows = [conversation("c-promise", "A017", "这个产品绝对靠谱"),
            conversation("c-filler", "A023", "那个那个您稍等"),
            conversation("c-plain", "A031", "好的您稍等")]
    (folder / "calls.jsonl").write_text(
        "\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    return folder


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = main(["rules", "backtest", "--no-sentiment", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_backtest_lists_flagged_cleared_score_and_veto_changes(
        packs: tuple[Path, Path], calls: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline, candidate = packs
    code, data = run_json(capsys, "--baseline", str(baseline), "--rules", str(candidate),
                          str(calls))
    assert code == 0 and data["conversations"] == 3 and data["errors"] == []
    rules = {rule["rule_id"]: rule for rule in data["rules"]}
    assert sorted(data["changed_rules"]) == ["test.filler_word", "test.reckless_promise"]
    promise = rules["test.reckless_promise"]
    assert (promise["fired_before"], promise["fired_after"]) == (0, 1)
    flagged = promise["newly_flagged"][0]
    assert flagged == {"conversation_id": "c-promise", "agent_id": "A017", "utterance_index": 1,
                       "utterance": "这个产品绝对靠谱", "evidence": "绝对靠谱",
                       "explanation": flagged["explanation"]}
    filler = rules["test.filler_word"]
    assert (filler["fired_before"], filler["fired_after"]) == (1, 0)
    assert [hit["conversation_id"] for hit in filler["newly_cleared"]] == ["c-filler"]
    assert filler["newly_cleared"][0]["evidence"] == "那个那个"
    # the filler's 5 points come back; the new veto awaits confirmation, so it moves no score
    assert data["score_changes"] == [{"conversation_id": "c-filler", "agent_id": "A023",
                                      "before": 95.0, "after": 100.0}]
    assert data["veto_changes"] == [{"conversation_id": "c-promise", "agent_id": "A017",
                                     "before": [], "after": ["test.reckless_promise"]}]
    assert data["agents_affected"] == ["A017", "A023"]
    assert data["flagged_conversations"] == ["c-promise"]
    unchanged = [rule for rule in data["rules"] if rule["rule_id"] not in data["changed_rules"]]
    assert all(r["fired_before"] == r["fired_after"] for r in unchanged)


def test_with_immediate_vetoes_the_new_veto_zeroes_the_score(
        packs: tuple[Path, Path], calls: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline, candidate = packs
    _, data = run_json(capsys, "--baseline", str(baseline), "--rules", str(candidate),
                       "--veto-applies", "immediately", str(calls))
    changes = {c["conversation_id"]: (c["before"], c["after"]) for c in data["score_changes"]}
    assert changes == {"c-promise": (100.0, 0.0), "c-filler": (95.0, 100.0)}


def test_the_table_names_rule_conversation_utterance_and_evidence(
        packs: tuple[Path, Path], calls: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline, candidate = packs
    code = main(["rules", "backtest", "--no-sentiment", "--baseline", str(baseline),
                 "--rules", str(candidate), str(calls)])
    out = capsys.readouterr().out
    assert code == 0
    assert "3 通会话：2 条规则有变化，新增命中 1，不再命中 1" in out
    assert "+ 新增命中 c-promise（坐席 A017） 第 1 句：「这个产品绝对靠谱」 证据「绝对靠谱」" in out
    assert "- 不再命中 c-filler（坐席 A023） 第 1 句：「那个那个您稍等」 证据「那个那个」" in out
    assert "c-filler（坐席 A023）95 → 100" in out
    assert "c-promise（坐席 A017）无 → test.reckless_promise" in out
    assert "受影响坐席：A017、A023" in out


def test_service_exports_are_read_as_their_stored_turns(
        packs: tuple[Path, Path], calls: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A `GET /api/conversations/{id}` record: status, score, findings, sentiment are dropped."""
    row = conversation("c-export", "A040", "这个产品绝对靠谱")
    exported = {**row, "status": "done", "score": 100.0, "veto": False, "needs_review": False,
                "created_at": "2026-11-01T02:00:00Z", "team_id": "t1", "has_audio": False,
                "findings": [], "redactions": [], "review_reasons": [], "category_scores": {},
                "utterances": [{**u, "index": i, "start": 0.0, "end": 0.0, "confidence": 1.0,
                                "sentiment_label": None, "sentiment_score": None}
                               for i, u in enumerate(row["utterances"])]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([exported], ensure_ascii=False), encoding="utf-8")
    baseline, candidate = packs
    code, data = run_json(capsys, "--baseline", str(baseline), "--rules", str(candidate),
                          str(path))
    assert code == 0 and data["flagged_conversations"] == ["c-export"]


def test_recordings_are_skipped_not_transcribed(packs: tuple[Path, Path], calls: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (calls / "call.wav").write_bytes(b"RIFF")
    baseline, candidate = packs
    code = main(["rules", "backtest", "--no-sentiment", "--format", "json", "--baseline",
                 str(baseline), "--rules", str(candidate), str(calls)])
    captured = capsys.readouterr()
    assert code == 2 and json.loads(captured.out)["conversations"] == 3
    assert "call.wav" in captured.err and "不重新转写" in captured.err


def test_a_bad_candidate_pack_is_an_input_error(calls: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "bad.yaml").write_text("pack: bad\nrules: []\n", encoding="utf-8")
    code = main(["rules", "backtest", "--no-sentiment", "--rules", str(tmp_path / "bad"),
                 str(calls)])
    assert code == 2 and "bad.yaml" in capsys.readouterr().err


def test_the_cli_reports_what_backtest_computes(packs: tuple[Path, Path], calls: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    baseline, candidate = packs
    _, from_cli = run_json(capsys, "--baseline", str(baseline), "--rules", str(candidate),
                           str(calls))
    loaded = Pipeline.from_settings(PipelineSettings(rules_dir=baseline, sentiment_enabled=False))
    before, after = paired_pipelines(loaded, loaded.rules, load_rules(candidate))
    conversations, problems = load_texts([calls])
    direct = diff_to_dict(backtest(before, after, conversations))
    assert problems == [] and {k: v for k, v in from_cli.items()
                               if k not in ("baseline", "candidate")} == direct


def test_a_copy_of_the_bundled_packs_changes_nothing(calls: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(Path(str(DEFAULT_RULES_DIR)), copy, ignore=shutil.ignore_patterns("*.py"))
    code, data = run_json(capsys, "--rules", str(copy), str(calls))
    assert code == 0 and data["changed_rules"] == [] and data["score_changes"] == []
