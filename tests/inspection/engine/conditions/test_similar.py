"""`similar`: nearest example sentence at or above the threshold and nearer than every
counter-sentence, per clause, negation polarity, evidence, scope, and laziness (a conversation
no `similar` condition looks at embeds nothing). A table encoder gives exact cosines; the
example pack runs on the real encoder (slow)."""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from inspection.embeddings import ConversationEmbeddings, Embedder, Vectors, unit_rows
from inspection.engine import Rule, load_rules, run_rule, run_rules
from inspection.engine.conditions.similar import clauses_of, is_negated_clause
from inspection.engine.examples import run_examples
from inspection.engine.loader import DEFAULT_RULES_DIR, load_rule_files, rule_files
from inspection.engine.registry import CONDITION_ADAPTER
from inspection.errors import RuleConfigError
from inspection.pipeline import Pipeline
from inspection.text import prepare_conversation, prepare_utterance
from inspection.types import Finding, Utterance
from tests.inspection.engine.engine_builders import Turn, conversation, load_rule

SIMILAR_PACK = Path(__file__).parent / "similar_pack"
A, C = "agent", "customer"


class TableEncoder:
    """Vectors from a table (in the first `TABLE_AXES` axes, made unit length); any other text
    gets a random vector of its own (seeded by the text) in the other axes: orthogonal to every
    table entry, nearly so to other such texts. Records every text it is asked for."""

    def __init__(self, table: Mapping[str, Sequence[float]]) -> None:
        self.table = {text: self._unit(list(vector) + [0.0] * (DIMENSIONS - len(vector)))
                      for text, vector in table.items()}
        self.seen: list[str] = []
        self.calls = 0

    @staticmethod
    def _unit(vector: Sequence[float]) -> Vectors:
        return unit_rows(np.array([vector]))[0]

    def _other(self, text: str) -> Vectors:
        rng = np.random.default_rng(zlib.crc32(text.encode()))
        return self._unit([0.0] * TABLE_AXES + list(rng.normal(size=DIMENSIONS - TABLE_AXES)))

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        self.seen += list(texts)
        rows = [self.table[text] if text in self.table else self._other(text) for text in texts]
        return np.array(rows, dtype=np.float32).reshape(len(texts), DIMENSIONS)


TABLE_AXES, DIMENSIONS = 5, 512
# Sentences along axes 0 and 1, the counter-sentence along axis 2.
TABLE: dict[str, list[float]] = {
    "讲几遍了你还听不懂": [1, 0, 0],
    "你自己不会看说明书吗": [0, 1, 0],
    "没关系我再给您讲一遍": [0, 0, 1],
    "说了好几次了怎么还不明白": [0.8, 0, 0.6],        # 0.80 to a sentence, 0.60 to the counter
    "我再说一遍你听好了没明白": [0.7, 0, 0.71414],     # 0.70 to a sentence, 0.71 to the counter
    "说明书上写着你自己看吧": [0, 0.65, 0, 0.75993],   # 0.65 to a sentence
    "这个产品保本保息的": [0, 0, 0, 1],
    "这个产品不保本保息": [0, 0, 0, 1],
    "麻烦您把验证码报给我": [0, 0, 0, 0, 1],
    "您把验证码报给我一下": [0, 0, 0, 0, 1],
    "谨防骗子让您把验证码报给他": [0, 0, 0, 0, 1],
}
CONDITION = """\
type: similar
sentences: [讲几遍了你还听不懂, 你自己不会看说明书吗]
counter_sentences: [没关系我再给您讲一遍]
threshold: 0.7
"""


def run_with(rule: Rule, turns: Sequence[Turn], encoder: TableEncoder, **options: Any
             ) -> list[Finding]:
    prepared = prepare_conversation(conversation(turns, **options))
    return run_rule(rule, prepared, embeddings=ConversationEmbeddings(Embedder(encoder=encoder)))


@pytest.mark.parametrize(("text", "threshold", "fires"), [
    pytest.param("说了好几次了怎么还不明白", 0.7, True, id="above-threshold-nearer-than-counter"),
    pytest.param("说了好几次了怎么还不明白", 0.8, True, id="exactly-the-threshold"),
    pytest.param("说了好几次了怎么还不明白", 0.85, False, id="below-threshold"),
    pytest.param("我再说一遍你听好了没明白", 0.6, False, id="nearer-to-the-counter-sentence"),
    pytest.param("说明书上写着你自己看吧", 0.6, True, id="second-sentence"),
    pytest.param("您好请问有什么可以帮您", 0.1, False, id="unrelated"),
])
def test_threshold_and_counter_sentences(tmp_path: Path, text: str, threshold: float,
                                         fires: bool) -> None:
    rule = load_rule(tmp_path, CONDITION.replace("0.7", str(threshold)))
    assert bool(run_with(rule, [(A, text)], TableEncoder(TABLE))) is fires


def test_evidence_names_the_nearest_sentence_and_the_clause(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, CONDITION)
    findings = run_with(rule, [(A, "好的女士我看一下，说了好几次了怎么还不明白")], TableEncoder(TABLE))
    assert [f.explanation for f in findings] == ["与示例『讲几遍了你还听不懂』相似度 0.80"]
    evidence = findings[0].evidence
    assert evidence is not None
    assert (evidence.utterance_index, evidence.text) == (0, "说了好几次了怎么还不明白")


def test_one_finding_per_utterance_on_its_best_clause(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, CONDITION.replace("0.7", "0.6"))
    findings = run_with(rule, [(A, "说明书上写着你自己看吧，说了好几次了怎么还不明白")],
                        TableEncoder(TABLE))
    assert [f.explanation for f in findings] == ["与示例『讲几遍了你还听不懂』相似度 0.80"]


@pytest.mark.parametrize(("negation", "sentence", "text", "fires"), [
    pytest.param("false", "这个产品保本保息的", "这个产品不保本保息", True, id="off"),
    pytest.param("true", "这个产品保本保息的", "这个产品不保本保息", False, id="negated-clause"),
    pytest.param("true", "这个产品保本保息的", "这个产品保本保息的", True, id="same-polarity"),
    pytest.param("true", "这个产品不保本保息", "这个产品不保本保息", True, id="negated-sentence"),
    pytest.param("true", "这个产品不保本保息", "这个产品保本保息的", False, id="negated-sentence-only"),
])
def test_negation_compares_clauses_of_the_same_polarity(tmp_path: Path, negation: str,
                                                         sentence: str, text: str,
                                                         fires: bool) -> None:
    rule = load_rule(tmp_path, f"type: similar\nsentences: [{sentence}]\nnegation: {negation}\n")
    assert bool(run_with(rule, [(A, text)], TableEncoder(TABLE))) is fires


@pytest.mark.parametrize(("frames", "text", "fires"), [
    pytest.param("false", "谨防骗子让您把验证码报给他", True, id="off"),
    pytest.param("true", "谨防骗子让您把验证码报给他", False, id="default-cues"),
    pytest.param("true", "您把验证码报给我一下", True, id="no-cue"),
    pytest.param("[骗子]", "谨防骗子让您把验证码报给他", False, id="own-cues"),
    pytest.param("true", "您把验证码报给我一下。提醒您谨防诈骗", True, id="cue-in-another-sentence"),
])
def test_frames_neutralise_a_warning(tmp_path: Path, frames: str, text: str, fires: bool) -> None:
    rule = load_rule(tmp_path, f"type: similar\nsentences: [麻烦您把验证码报给我]\nframes: {frames}\n")
    assert bool(run_with(rule, [(A, text)], TableEncoder(TABLE))) is fires


@pytest.mark.parametrize(("text", "negated"), [
    ("这个产品不保本", True), ("谁也不敢打包票", True), ("没钱还借什么钱", True),
    ("不好意思让您久等了", False), ("非常感谢您的耐心", False), ("这个产品保本保息", False),
])
def test_negated_clause(text: str, negated: bool) -> None:
    assert is_negated_clause(text) is negated


@pytest.mark.parametrize(("text", "clauses"), [
    ("讲几遍了你还听不懂", ["讲几遍了你还听不懂"]),
    ("好的，讲几遍了，你还听不懂吗", ["好的，讲几遍了", "你还听不懂吗"]),
    ("您好请问有什么可以帮您。这事你找物流去", ["您好请问有什么可以帮您", "这事你找物流去"]),
    ("我帮您查过了但是这事你得找物流", ["我帮您查过了", "但是这事你得找物流"]),
    ("嗯", ["嗯"]),
    ("这个问题我帮您记下来了，好的", ["这个问题我帮您记下来了，好的"]),
])
def test_clauses(text: str, clauses: list[str]) -> None:
    utterance = prepare_utterance(0, Utterance(role="agent", text=text))
    assert [clause.text for clause in clauses_of(utterance)] == clauses


def test_scope_role_and_window(tmp_path: Path) -> None:
    turns = [(A, "说了好几次了怎么还不明白"), (C, "说了好几次了怎么还不明白"),
             (A, "您好请问有什么可以帮您"), (A, "说明书上写着你自己看吧")]
    rule = load_rule(tmp_path, CONDITION.replace("0.7", "0.6"))
    assert [f.evidence.utterance_index for f in run_with(rule, turns, TableEncoder(TABLE))
            if f.evidence] == [0, 3]
    customers = load_rule(tmp_path, CONDITION.replace("0.7", "0.6"), role="customer")
    assert [f.evidence.utterance_index for f in run_with(customers, turns, TableEncoder(TABLE))
            if f.evidence] == [1]
    windowed = load_rule(tmp_path, CONDITION.replace("0.7", "0.6")
                         + "window: {last_utterances: 1, of: call}\n", role="customer")
    assert run_with(windowed, turns, TableEncoder(TABLE)) == []


def test_a_conversation_out_of_scope_embeds_nothing(tmp_path: Path) -> None:
    encoder = TableEncoder(TABLE)
    rule = load_rule(tmp_path, CONDITION)
    assert run_with(rule, [(C, "说了好几次了怎么还不明白")], encoder) == []
    not_applicable = load_rule(tmp_path, CONDITION + "applies_when: {industry: [finance]}\n"
                               )
    assert run_with(not_applicable, [(A, "说了好几次了怎么还不明白")], encoder,
                    industry="ecommerce") == []
    assert encoder.calls == 0


def test_each_clause_embedded_once_for_every_rule_and_examples_once(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    rules = [load_rule(first, CONDITION), load_rule(second, CONDITION.replace("0.7", "0.6"))]
    encoder = TableEncoder(TABLE)
    embedder = Embedder(encoder=encoder)
    for _ in range(2):  # two conversations
        prepared = prepare_conversation(conversation([(A, "说了好几次了怎么还不明白"), (A, "好的")]))
        embeddings = ConversationEmbeddings(embedder)
        for rule in rules:
            run_rule(rule, prepared, embeddings=embeddings)
    assert encoder.seen.count("说了好几次了怎么还不明白") == 1  # the second call remembered it
    assert encoder.seen.count("讲几遍了你还听不懂") == 1


def test_run_rules_shares_one_cache_and_takes_the_embedder(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text((SIMILAR_PACK / "similar.yaml").read_text("utf-8"),
                                        encoding="utf-8")
    rules = load_rules(tmp_path)
    encoder = TableEncoder({})
    prepared = prepare_conversation(conversation([(A, "您好请问有什么可以帮您"), (C, "查账单")]))
    assert run_rules(rules, prepared, embedder=Embedder(encoder=encoder, recent_size=0)) == []
    assert encoder.seen.count("您好请问有什么可以帮您") == 1  # five rules, one embedding


def test_the_pipeline_injects_its_embedder(tmp_path: Path) -> None:
    rule_text = CONDITION.replace("0.7", "0.6")
    load_rule(tmp_path, rule_text)
    encoder = TableEncoder(TABLE)
    pipeline = Pipeline(load_rules(tmp_path), embedder=Embedder(encoder=encoder))
    result = pipeline.inspect_conversation(conversation([(A, "说明书上写着你自己看吧")]))
    assert [f.explanation for f in result.result.findings] == [
        "与示例『你自己不会看说明书吗』相似度 0.65"]


@pytest.mark.parametrize("condition", [
    "type: similar\nsentences: []\n",
    "type: similar\nsentences: [' ']\n",
    "type: similar\nsentences: [讲几遍了]\nthreshold: 1.5\n",
    "type: similar\nsentences: [讲几遍了]\nexamples_of: [x]\n",
])
def test_invalid_conditions_are_refused(tmp_path: Path, condition: str) -> None:
    with pytest.raises(RuleConfigError):
        load_rule(tmp_path, condition)


def test_defaults() -> None:
    condition = CONDITION_ADAPTER.validate_python({"type": "similar", "sentences": ["讲几遍了"]})
    assert (condition.threshold, condition.negation, condition.counter_sentences) == (0.6, False, [])
    with pytest.raises(ValidationError):
        CONDITION_ADAPTER.validate_python({"type": "similar"})


@pytest.mark.slow
def test_the_example_pack_passes_its_examples_on_the_real_encoder() -> None:
    rules = load_rules(SIMILAR_PACK)
    failed = [outcome for outcome in run_examples(rules) if not outcome.passed]
    assert failed == []


def test_the_example_pack_loads_beside_the_default_packs() -> None:
    both = load_rule_files([*rule_files(DEFAULT_RULES_DIR), *rule_files(SIMILAR_PACK)])
    assert {rule.id for rule in both.rules} >= {"sim.impatience", "sim.guaranteed_return"}
