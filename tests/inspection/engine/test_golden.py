"""`zhijian rules eval` and the golden-set ratchet.

The metric arithmetic, the FP/FN listing, the record logic and bad golden files are checked on a
tiny golden set and a two-rule pack written here; the last tests hold the bundled packs to
`tests/golden/record.json` on `tests/golden/test` (the ratchet of `make test`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inspection.engine.golden import GOLDEN_EXTENSIONS, evaluate_golden, load_golden
from inspection.engine.golden_record import Record, drops, load_record, record_of
from inspection.engine.golden_scores import RuleScore
from inspection.pipeline import Pipeline, PipelineSettings
from tests.conftest import REPO_ROOT
from zhijian.cli import main

GOLDEN_TEST = REPO_ROOT / "tests" / "golden" / "test"
RECORD = REPO_ROOT / "tests" / "golden" / "record.json"
UPDATE_HINT = (".venv/bin/zhijian rules eval tests/golden/test --record tests/golden/record.json "
               "--update-record")

TINY_PACK = """\
pack: tiny
rules:
  - id: t.promise
    version: 1
    name: 承诺保本
    description: 坐席承诺保本
    category: compliance
    severity: critical
    deduction: 100
    veto: true
    type: keyword
    keywords: [保本]
    examples: {hit: [这个保本], miss: [这个不保本]}
  - id: t.rude
    version: 1
    name: 粗鲁
    description: 坐席让客户滚
    category: courtesy
    severity: major
    deduction: 20
    type: keyword
    keywords: [滚]
    examples: {hit: [你滚], miss: [您好]}
"""


def golden(conversation_id: str, agent_text: str, labels: dict[str, Any], **extra: Any
           ) -> dict[str, Any]:
    return {"id": conversation_id, "utterances": [{"role": "agent", "text": agent_text}],
            "labels": labels, **extra}


# t.promise: tp c1, fn c2, fp c3 (a wrong veto), tn c4. t.rude: tn c1, tn c2, tp c3.
TINY_SET = [
    golden("c1", "这个产品保本", {"t.promise": True, "t.rude": False}),
    golden("c2", "这个产品收益很稳", {"t.promise": True, "t.rude": False}, notes="很稳=暗示保本"),
    golden("c3", "保本的，你给我滚", {"t.promise": False, "t.rude": True}),
    golden("c4", "您好", {"t.promise": False}),
]


@pytest.fixture()
def rules_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "tiny.yaml").write_text(TINY_PACK, encoding="utf-8")
    return directory


@pytest.fixture()
def golden_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "golden"
    directory.mkdir()
    for item in TINY_SET:
        write_json(directory / f"{item['id']}.json", item)
    return directory


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def run_eval(capsys: pytest.CaptureFixture[str], golden_path: Path, rules_dir: Path,
             *args: str) -> tuple[int, str, str]:
    code = main(["rules", "eval", str(golden_path), "--rules", str(rules_dir), "--no-sentiment",
                 *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- metric arithmetic ---------------------------------------------------------------------


@pytest.mark.parametrize(("counts", "expected"), [
    ((3, 1, 1, 5), (0.75, 0.75, 0.75)),
    ((2, 0, 2, 0), (1.0, 0.5, 2 / 3)),
    ((0, 0, 0, 7), (1.0, 1.0, 1.0)),  # nothing to find, nothing fired: every label agrees
    ((0, 0, 3, 0), (1.0, 0.0, 0.0)),  # never fired: no false alarm, but every positive missed
    ((0, 2, 0, 1), (0.0, 1.0, 0.0)),  # no positive labelled, fired twice anyway
])
def test_precision_recall_f1_and_zero_denominators(counts: tuple[int, int, int, int],
                                                   expected: tuple[float, float, float]) -> None:
    score = RuleScore("r", *counts)
    assert (score.precision, score.recall, score.f1) == pytest.approx(expected)
    assert score.positives == counts[0] + counts[2]


def test_tiny_set_counts_macro_f1_and_veto_precision(golden_dir: Path, rules_dir: Path) -> None:
    pipeline = Pipeline.from_settings(PipelineSettings(rules_dir=rules_dir, sentiment_enabled=False))
    evaluation = evaluate_golden(pipeline, load_golden(golden_dir), progress=False)
    promise, rude = evaluation.rule("t.promise"), evaluation.rule("t.rude")
    assert promise == RuleScore("t.promise", tp=1, fp=1, fn=1, tn=1)
    assert rude == RuleScore("t.rude", tp=1, fp=0, fn=0, tn=2)
    assert (promise.f1, rude.f1, evaluation.macro_f1) == pytest.approx((0.5, 1.0, 0.75))
    assert (evaluation.vetoes, evaluation.correct_vetoes, evaluation.veto_precision) == (2, 1, 0.5)
    assert evaluation.conversations == 4


def test_json_output_lists_every_false_positive_and_negative(
        capsys: pytest.CaptureFixture[str], golden_dir: Path, rules_dir: Path) -> None:
    code, out, _ = run_eval(capsys, golden_dir, rules_dir, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"rules", "macro_f1", "veto_precision", "errors"} <= data.keys()
    assert data["rules"]["t.promise"] == {"positives": 2, "labelled": 4, "tp": 1, "fp": 1,
                                          "fn": 1, "tn": 1, "precision": 0.5, "recall": 0.5,
                                          "f1": 0.5}
    assert (data["macro_f1"], data["veto_precision"], data["vetoes"]) == (0.75, 0.5, 2)
    errors = {(e["kind"], e["rule_id"], e["conversation_id"]): e for e in data["errors"]}
    assert set(errors) == {("fp", "t.promise", "c3"), ("fn", "t.promise", "c2")}
    [evidence] = errors["fp", "t.promise", "c3"]["evidence"]
    assert evidence["utterance_index"] == 0 and evidence["role"] == "agent"
    assert evidence["text"] == "保本的，你给我滚" and evidence["matched"] == "保本"
    assert errors["fn", "t.promise", "c2"]["notes"] == "很稳=暗示保本"


def test_table_is_chinese_then_lists_the_mistakes(capsys: pytest.CaptureFixture[str],
                                                  golden_dir: Path, rules_dir: Path) -> None:
    code, out, _ = run_eval(capsys, golden_dir, rules_dir)
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("规则 "))
    assert header.split() == ["规则", "标注正例", "tp", "fp", "fn", "P", "R", "F1"]
    assert next(line for line in lines if line.startswith("t.promise")).split() == [
        "t.promise", "2", "1", "1", "1", "0.50", "0.50", "0.50"]
    assert "宏平均 F1 (macro-F1): 0.750" in out
    assert "一票否决精确率 (veto precision): 0.500（2 次否决" in out
    false_positives = out.index("误报 FP")
    assert out.index("[t.promise] c3", false_positives) < out.index("漏报 FN")
    assert "话轮 #0 坐席「保本的，你给我滚」 证据「保本」" in out
    assert "备注: 很稳=暗示保本" in out[out.index("漏报 FN"):]


def test_json_lines_golden_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                rules_dir: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(item, ensure_ascii=False) for item in TINY_SET) + "\n",
                    encoding="utf-8")
    code, out, _ = run_eval(capsys, path, rules_dir, "--format", "json")
    assert code == 0 and json.loads(out)["conversations"] == 4


# -- the ratchet -----------------------------------------------------------------------------


def read_record(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_update_record_creates_it_and_a_rerun_passes(capsys: pytest.CaptureFixture[str],
                                                     golden_dir: Path, rules_dir: Path,
                                                     tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    code, _, _ = run_eval(capsys, golden_dir, rules_dir, "--record", str(record))
    assert code == 2  # no record yet, and not asked to write one
    code, out, _ = run_eval(capsys, golden_dir, rules_dir, "--record", str(record), "--update-record")
    assert code == 0 and "已写入记录" in out
    assert read_record(record) == {"golden": golden_dir.as_posix(), "conversations": 4,
                                   "macro_f1": 0.75, "veto_precision": 0.5,
                                   "rule_f1": {"t.promise": 0.5, "t.rude": 1.0}}
    code, out, _ = run_eval(capsys, golden_dir, rules_dir, "--record", str(record))
    assert code == 0 and "✓ 没有任何指标低于记录" in out


def test_a_lower_figure_fails_names_it_and_is_never_written(
        capsys: pytest.CaptureFixture[str], golden_dir: Path, rules_dir: Path, tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    higher = {"conversations": 4, "macro_f1": 0.8, "veto_precision": 1.0,
              "rule_f1": {"t.promise": 0.6, "t.rude": 1.0}}
    write_json(record, higher)
    code, out, _ = run_eval(capsys, golden_dir, rules_dir, "--record", str(record))
    assert code == 1
    assert "宏平均 F1 (macro-F1): 0.8000 → 0.7500（下降 0.0500）" in out
    assert "一票否决精确率 (veto precision): 1.0000 → 0.5000（下降 0.5000）" in out
    assert "t.promise: 0.6000 → 0.5000（下降 0.1000）" in out and "t.rude:" not in out
    code, out, _ = run_eval(capsys, golden_dir, rules_dir, "--record", str(record), "--update-record")
    assert code == 1 and "未写入" in out
    assert read_record(record) == higher


def test_higher_figures_pass_and_update_raises_the_record(
        capsys: pytest.CaptureFixture[str], golden_dir: Path, rules_dir: Path, tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    write_json(record, {"conversations": 4, "macro_f1": 0.5, "veto_precision": 0.25,
                        "rule_f1": {"t.promise": 0.0}})
    code, _, _ = run_eval(capsys, golden_dir, rules_dir, "--record", str(record), "--format", "json")
    assert code == 0
    code, out, err = run_eval(capsys, golden_dir, rules_dir, "--record", str(record),
                              "--update-record", "--format", "json")
    assert code == 0 and json.loads(out)["ratchet"]["written"] is True and "已写入记录" in err
    assert read_record(record)["macro_f1"] == 0.75
    assert read_record(record)["rule_f1"] == {"t.promise": 0.5, "t.rude": 1.0}


def test_a_resized_golden_set_fails_until_the_record_is_remeasured(
        capsys: pytest.CaptureFixture[str], golden_dir: Path, rules_dir: Path, tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    write_json(record, {"conversations": 5, "macro_f1": 0.9, "veto_precision": 1.0, "rule_f1": {}})
    code, out, _ = run_eval(capsys, golden_dir, rules_dir, "--record", str(record))
    assert code == 1 and "金标集现有 4 通会话，记录是在 5 通上测得的" in out
    code, out, _ = run_eval(capsys, golden_dir, rules_dir, "--record", str(record), "--update-record")
    assert code == 0 and "已按现有会话重新记录" in out
    assert read_record(record)["conversations"] == 4


def test_a_recorded_rule_no_longer_labelled_counts_as_a_drop() -> None:
    recorded = Record(4, 0.5, 1.0, {"t.gone": 0.8})
    assert [(d.figure, d.current) for d in drops(recorded, Record(4, 0.5, 1.0, {}))] == [("t.gone", 0.0)]


def test_bad_record_and_options_exit_2(capsys: pytest.CaptureFixture[str], golden_dir: Path,
                                       rules_dir: Path, tmp_path: Path) -> None:
    record = tmp_path / "record.json"
    record.write_text('{"macro_f1": 1}', encoding="utf-8")
    code, _, err = run_eval(capsys, golden_dir, rules_dir, "--record", str(record))
    assert code == 2 and f"{record}: 记录文件格式错误" in err
    code, _, err = run_eval(capsys, golden_dir, rules_dir, "--update-record")
    assert code == 2 and "--record" in err


# -- bad golden files ------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "message"), [
    ({"id": "x", "utterances": [{"role": "agent", "text": "您好"}]}, "labels: 缺少 labels"),
    (golden("x", "您好", {}), "labels: labels 应为非空对象"),
    (golden("x", "您好", {"t.promise": "yes"}), "labels.t.promise: 应为 true 或 false"),
    (golden("x", "您好", {"t.nope": True}), "labels: 未知规则 id t.nope"),
    (golden("x", "您好", {"t.promise": True}, notes=["a"]), "notes: notes 应为字符串"),
    ({"id": "x", "utterances": [{"role": "bot", "text": "hi"}], "labels": {"t.rude": True}},
     "utterances[0].role: 未知角色"),
])
def test_a_bad_golden_file_is_an_error_naming_it(capsys: pytest.CaptureFixture[str],
                                                 golden_dir: Path, rules_dir: Path,
                                                 content: Any, message: str) -> None:
    bad = golden_dir / "zz-bad.json"
    write_json(bad, content)
    code, out, err = run_eval(capsys, golden_dir, rules_dir)
    assert code == 2 and out == ""
    assert f"{bad}: {message}" in err


def test_malformed_json_duplicate_ids_and_empty_folders(capsys: pytest.CaptureFixture[str],
                                                        golden_dir: Path, rules_dir: Path,
                                                        tmp_path: Path) -> None:
    lines = tmp_path / "set.jsonl"
    lines.write_text(json.dumps(TINY_SET[0]) + "\n{oops\n", encoding="utf-8")
    code, _, err = run_eval(capsys, lines, rules_dir)
    assert code == 2 and f"{lines}: line 2: JSON 格式错误" in err
    write_json(golden_dir / "copy.json", TINY_SET[0])
    code, _, err = run_eval(capsys, golden_dir, rules_dir)
    assert code == 2 and "会话 id 'c1'" in err and "重复" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run_eval(capsys, empty, rules_dir)
    assert code == 2 and "没有 .json / .jsonl 金标文件" in err


# -- the ratchet of `make test` ------------------------------------------------------------------


def test_the_record_was_measured_on_the_golden_test_set_as_it_is() -> None:
    files = [p for p in GOLDEN_TEST.rglob("*") if p.suffix in GOLDEN_EXTENSIONS]
    recorded = load_record(RECORD).conversations
    assert len(load_golden(GOLDEN_TEST)) == recorded, (
        f"tests/golden/test holds {len(files)} files but the record was measured on {recorded} "
        f"conversations: re-measure it (the change shows in review) with\n  {UPDATE_HINT}")


@pytest.mark.slow
def test_the_default_packs_hold_the_record_on_the_golden_test_set() -> None:
    record = load_record(RECORD)
    golden_set = load_golden(GOLDEN_TEST)
    assert len(golden_set) == record.conversations, "the golden test set changed size: " + UPDATE_HINT
    evaluation = evaluate_golden(Pipeline.from_settings(PipelineSettings()), golden_set,
                                 progress=False)
    lowered = drops(record, record_of(evaluation))
    assert not lowered, "below tests/golden/record.json:\n" + "\n".join(
        f"  {d.figure}: {d.recorded:.4f} → {d.current:.4f} (-{d.by:.4f})" for d in lowered)
