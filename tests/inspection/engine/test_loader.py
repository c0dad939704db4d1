"""Malformed rule files fail at load time, naming the file and (where known) the rule id."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspection.engine import load_rules
from inspection.errors import RuleConfigError
from tests.inspection.engine.engine_builders import pack_text

GOOD = "type: keyword\nkeywords: [保本]"


def failure(tmp_path: Path, text: str, name: str = "bad.yaml") -> str:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(RuleConfigError) as caught:
        load_rules(tmp_path)
    return str(caught.value)


@pytest.mark.parametrize(("condition", "problem"), [
    pytest.param("type: keywords\nkeywords: [保本]", "unknown type", id="unknown-type"),
    pytest.param("keywords: [保本]", "missing type", id="missing-type"),
    pytest.param("type: regex\npattern: '(保本'", "正则表达式无法编译", id="bad-regex"),
    pytest.param("type: regex\npattern: 保本\nexclude: '[不'", "正则表达式无法编译",
                 id="bad-exclude-regex"),
    pytest.param("type: keyword", "keywords", id="missing-field"),
    pytest.param("type: keyword\nkeywords: []", "keywords", id="empty-keywords"),
    pytest.param("type: proximity\na: [密码]\nb: [报]", "max_distance", id="missing-distance"),
    pytest.param(GOOD + "\nnegations: false", "negations", id="extra-key"),
    pytest.param(GOOD + "\nmode: most", "mode", id="bad-literal"),
    pytest.param(GOOD + "\nwindow: {first_utterances: 1, last_utterances: 1}", "exactly one",
                 id="window-two-bounds"),
    pytest.param(GOOD + "\nwindow: {first_utterances: 0}", "first_utterances",
                 id="window-zero"),
    pytest.param("type: silence\nmin_seconds: -1", "min_seconds", id="negative-seconds"),
    pytest.param("type: not\ncondition: {type: keyword, keywords: [x], bogus: 1}", "bogus",
                 id="extra-key-nested"),
    pytest.param("type: required\nkeywords: [x]\ntrigger: {type: nope}", "unknown type",
                 id="unknown-nested-type"),
    pytest.param(GOOD + "\nkeywords: [稳赚]", "duplicate key", id="duplicate-key"),
])
def test_bad_condition_names_file_and_rule(tmp_path: Path, condition: str, problem: str
                                           ) -> None:
    message = failure(tmp_path, pack_text(condition))
    assert "bad.yaml" in message and problem in message
    if problem != "duplicate key":  # a YAML-level error: the file and line are named instead
        assert "rule test.rule" in message


@pytest.mark.parametrize(("header_line", "problem"), [
    pytest.param("version: 1", "version", id="missing-header-field"),
    pytest.param("category: compliance", "category", id="bad-category"),
    pytest.param("examples: {hit: [示例], miss: [示例]}", "examples", id="missing-examples"),
])
def test_bad_header_names_file_and_rule(tmp_path: Path, header_line: str, problem: str) -> None:
    text = pack_text(GOOD)
    replacement = {"version: 1": "", "category: compliance": "category: manners",
                   "examples: {hit: [示例], miss: [示例]}": ""}[header_line]
    message = failure(tmp_path, text.replace(header_line, replacement, 1))
    assert "bad.yaml" in message and "rule test.rule" in message and problem in message


def test_bad_rule_id(tmp_path: Path) -> None:
    message = failure(tmp_path, pack_text(GOOD).replace("id: test.rule", "id: Test Rule"))
    assert "bad.yaml" in message and "Test Rule" in message


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(pack_text(GOOD, pack="a"), encoding="utf-8")
    message = failure(tmp_path, pack_text(GOOD, pack="b"), name="b.yaml")
    assert "b.yaml" in message and "a.yaml" in message and "rule test.rule" in message
    assert "重复" in message


def test_unknown_word_list(tmp_path: Path) -> None:
    message = failure(tmp_path, pack_text('type: keyword\nkeywords: ["@nope"]',
                                          lists="promise: [保本]"))
    assert "bad.yaml" in message and "rule test.rule" in message and "@nope" in message


def test_yaml_syntax_error(tmp_path: Path) -> None:
    message = failure(tmp_path, pack_text(GOOD) + "  - id: [unclosed\n")
    assert "bad.yaml" in message and "YAML" in message and "line" in message


@pytest.mark.parametrize(("text", "problem"), [
    pytest.param("- just\n- a list\n", "顶层", id="not-a-mapping"),
    pytest.param("pack: x\nrules: []\n", "rules", id="no-rules"),
    pytest.param(pack_text(GOOD) + "rulez: []\n", "rulez", id="unknown-top-level-key"),
])
def test_bad_pack_names_file(tmp_path: Path, text: str, problem: str) -> None:
    message = failure(tmp_path, text)
    assert "bad.yaml" in message and problem in message


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleConfigError, match="nowhere"):
        load_rules(tmp_path / "nowhere")


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(RuleConfigError, match="no rule files"):
        load_rules(tmp_path)


def test_good_pack_loads_with_caps_and_lists(tmp_path: Path) -> None:
    text = pack_text('type: keyword\nkeywords: ["@promise"]', lists="promise: [保本, 稳赚]")
    (tmp_path / "good.yaml").write_text(text.replace("rules:", "category_caps: {courtesy: 40}\n"
                                                     "rules:"), encoding="utf-8")
    rules = load_rules(tmp_path)
    assert rules.packs == ("test",) and rules.category_caps == {"courtesy": 40}
    assert rules.rules[0].condition.keywords == ["保本", "稳赚"]
    assert rules.rules[0].source.endswith("good.yaml")
