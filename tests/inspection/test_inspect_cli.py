"""`zhijian inspect`: table and JSON output, exit codes, bad files in a batch."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from zhijian.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["inspect", "--no-sentiment", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_lines_for_the_bundled_examples(capsys: pytest.CaptureFixture[str],
                                             examples_dir: Path) -> None:
    code, out, _ = run(capsys, str(examples_dir), "--format", "json")
    assert code == 0
    records = {r["id"]: r for r in map(json.loads, out.splitlines())}
    assert len(records) >= 6
    for record in records.values():
        assert {"id", "score", "veto", "needs_review", "findings"} <= record.keys()
    wealth = records["c-20261101-0002"]
    # the machine's veto is a proposal (veto_applies: on_confirmation, as in the service)
    assert wealth["veto"] is False and wealth["score"] > 0
    assert wealth["pending_veto_rule_ids"] == ["fin.guaranteed_return"]
    assert "fin.guaranteed_return" in {f["rule_id"] for f in wealth["findings"]}
    clean = records["c-20261101-0001"]
    assert (clean["score"], clean["findings"]) == (100, [])


def test_table_is_chinese_and_summarises(capsys: pytest.CaptureFixture[str],
                                         examples_dir: Path) -> None:
    code, out, _ = run(capsys, str(examples_dir / "finance_outbound_wealth.json"))
    assert code == 0
    assert "会话 c-20261101-0002" in out and "一票否决 待确认（fin.guaranteed_return" in out
    assert "fin.guaranteed_return" in out
    assert out.strip().splitlines()[-1].startswith("共 1 通会话")


def test_bad_file_exits_2_and_the_good_ones_still_print(
    capsys: pytest.CaptureFixture[str], examples_dir: Path, tmp_path: Path
) -> None:
    shutil.copy(examples_dir / "finance_inbound_card.json", tmp_path / "good.json")
    (tmp_path / "broken.json").write_text('{"id": "x"}', encoding="utf-8")
    code, out, err = run(capsys, str(tmp_path), "--format", "json")
    assert code == 2
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["c-20261101-0001"]
    assert f"{tmp_path / 'broken.json'}: utterances: 缺少必填字段" in err


def test_missing_path_and_bad_rules_dir_exit_2(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path / "nope.json"))
    assert code == 2 and "文件或目录不存在" in err
    code, _, err = run(capsys, str(tmp_path), "--rules", str(tmp_path / "no-rules"))
    assert code == 2 and "规则目录不存在" in err


def test_custom_rules_dir_is_used(capsys: pytest.CaptureFixture[str], examples_dir: Path,
                                  tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        """
pack: mine
rules:
  - id: my.thanks
    version: 1
    name: 感谢
    description: 坐席说谢谢
    category: courtesy
    severity: info
    deduction: 1
    type: keyword
    keywords: [谢谢]
    examples: {hit: [谢谢], miss: [好的]}
""", encoding="utf-8")
    code, out, _ = run(capsys, str(examples_dir / "ecommerce_chat.csv"), "--rules",
                       str(tmp_path), "--format", "json")
    assert code == 0
    rule_ids = {f["rule_id"] for line in out.splitlines() for f in json.loads(line)["findings"]}
    assert rule_ids == set()  # only the customer said 谢谢: customer words never count


def test_evidence_is_redacted_unless_asked_not_to(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    """A rule whose evidence is the whole sentence shows what the pipeline passed it."""
    card = "6222021234567890128"
    rules, calls = tmp_path / "rules", tmp_path / "calls"
    rules.mkdir(), calls.mkdir()
    (rules / "card.yaml").write_text("""
pack: card
rules:
  - id: my.card_read_out
    version: 1
    name: 念卡号
    description: 坐席念出卡号
    category: compliance
    severity: minor
    deduction: 1
    type: regex
    pattern: "卡号.+"
    examples: {hit: [您的卡号是多少], miss: [好的]}
""", encoding="utf-8")
    (calls / "pii.json").write_text(json.dumps({"id": "c-pii", "utterances": [
        {"role": "agent", "start": 0, "end": 2, "text": f"您的卡号{card}对吧"}]},
        ensure_ascii=False), encoding="utf-8")
    code, out, err = run(capsys, str(calls), "--rules", str(rules), "--format", "json")
    evidence = json.loads(out)["findings"][0]["evidence"]["text"]
    assert code == 0 and card not in out and "银行卡号" in evidence and "--no-redact" not in err
    code, out, err = run(capsys, str(calls), "--rules", str(rules), "--format", "json",
                         "--no-redact")
    assert code == 0 and card in out and "已关闭脱敏（--no-redact）" in err


def test_veto_applies_immediately_prints_the_old_verdict(capsys: pytest.CaptureFixture[str],
                                                          examples_dir: Path) -> None:
    wealth = examples_dir / "finance_outbound_wealth.json"
    code, out, _ = run(capsys, str(wealth), "--format", "json", "--veto-applies", "immediately")
    record = json.loads(out)
    assert code == 0 and record["veto"] is True and record["score"] == 0
    assert record["pending_veto_rule_ids"] == []
    code, out, _ = run(capsys, str(wealth), "--veto-applies", "immediately")
    assert "一票否决 是" in out
