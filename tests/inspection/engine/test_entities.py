"""Entity classes: what each reads (and does not), overlap priority, caching, the `@name` items
in phrase lists, and the reserved list names."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspection.engine import load_rules
from inspection.engine.entities import ENTITY_NAMES, find_entities, find_kinds
from inspection.errors import RuleConfigError
from inspection.text import normalise
from tests.inspection.engine.engine_builders import load_rule, pack_text, run, spans

A, C = "agent", "customer"


def read(text: str, kind: str) -> list[tuple[str, object]]:
    """(span as said, value) of every entity of `kind` in `text` (normalised first)."""
    return [(e.text, e.value) for e in find_entities(normalise(text)) if e.kind == kind]


@pytest.mark.parametrize(("text", "expected"), [
    ("一万五", [("一万五", 15000.0)]),
    ("七万多", [("七万多", 70000.0)]),
    ("四千五", [("四千五", 4500.0)]),
    ("两千块", [("两千块", 2000.0)]),
    ("九千出头", [("九千出头", 9000.0)]),
    ("八万多", [("八万多", 80000.0)]),
    ("二十万", [("二十万", 200000.0)]),
    ("六万出头", [("六万出头", 60000.0)]),
    ("七千二百多", [("七千二百多", 7200.0)]),
    ("三万一左右", [("三万一左右", 31000.0)]),
    ("五十块", [("五十块", 50.0)]),
    ("两块五", [("两块五", 2.5)]),
    ("3200元", [("3200元", 3200.0)]),
    ("¥3,200", [("¥3，200", 3200.0)]),
    ("欠款3,200", [("3，200", 3200.0)]),
    ("7.5千", [("7。5千", 7500.0)]),
    ("三点五万", [("三点五万", 35000.0)]),
    ("1.2w", [("1。2w", 12000.0)]),
    ("扣款，3200元", [("3200元", 3200.0)]),
    ("您这期得还九千出头", [("九千出头", 9000.0)]),
    ("一万多块", [("一万多块", 10000.0)]),
    # not amounts
    ("二十五号发工资", []),
    ("余期四十多天了", []),
    ("一万多个", []),
    ("尾号5520", []),
    ("2026年", []),
    ("千万别信", []),
    ("万一出事", []),
    ("工号三幺五七", []),
    ("十分感谢", []),
    ("百分之十五", []),
])
def test_amount(text: str, expected: list[tuple[str, float]]) -> None:
    assert read(text, "amount") == expected


def test_amount_marks_colloquial_tails_approximate() -> None:
    readings = {e.text: e.approximate for e in find_entities("九千出头和一万五和三万一左右")}
    assert readings == {"九千出头": True, "一万五": False, "三万一左右": True}


@pytest.mark.parametrize(("text", "expected"), [
    ("百分之三点八", [("百分之三点八", 3.8)]),
    ("3.8%", [("3。8%", 3.8)]),
    ("年化百分之一百，3.8%", [("百分之一百", 100.0), ("3。8%", 3.8)]),
    ("千分之五", [("千分之五", 0.5)]),
    ("今年涨了六个多点", [("六个多点", 6.0)]),
    ("三个半点", [("三个半点", 3.5)]),
    ("下午三点", []),
    ("便宜一点", []),
])
def test_percent(text: str, expected: list[tuple[str, float]]) -> None:
    assert read(text, "percent") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("从尾号5520的卡里扣", [("尾号5520", "5520")]),
    ("尾号是五五二零", [("尾号是五五二零", "5520")]),
    ("您尾号六六二幺那张卡", [("尾号六六二幺", "6621")]),
    ("卡号后四位是1234", [("后四位是1234", "1234")]),
    ("尾号 八八零二 的借记卡", [("尾号八八零二", "8802")]),
    ("麻烦报一下身份证后四位", []),
    ("尾号多少", []),
])
def test_account_tail(text: str, expected: list[tuple[str, str]]) -> None:
    assert read(text, "account_tail") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("二〇二六年三月十五日", [("二〇二六年三月十五日", "2026-03-15")]),
    ("2026年3月", [("2026年3月", "2026-03-??")]),
    ("3月15号前还", [("3月15号", "????-03-15")]),
    ("十五号之前还就行", [("十五号", "????-??-15")]),
    ("2026-03-15", [("2026-03-15", "2026-03-15")]),
    ("存单月底到期", [("月底", "月底")]),
    ("下个月五号", [("下个月五号", "下个月五号")]),
    ("下周二就到期了", [("下周二", "下周二")]),
    ("今天下午", [("今天", "今天")]),
    ("三幺零九号为您服务", []),
    ("手机号码", []),
    ("三十二号", []),
    ("三个月", []),
])
def test_date(text: str, expected: list[tuple[str, str]]) -> None:
    assert read(text, "date") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("三个月", [("三个月", 3.0)]),
    ("分12期", [("12期", 12.0)]),
    ("半年", [("半年", 0.5)]),
    ("一年半", [("一年半", 1.5)]),
    ("余期四十多天了", [("四十多天", 40.0)]),
    ("一个多月", [("一个多月", 1.0)]),
    ("三个工作日内", [("三个工作日", 3.0)]),
    ("第三年", []),
    ("三月", []),
    ("2026年", []),
])
def test_duration(text: str, expected: list[tuple[str, float]]) -> None:
    assert read(text, "duration") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("您可以打12 3 15", [("12 3 15", "12315")]),
    ("打一 二 三 一 五投诉", [("一二三一五", "12315")]),
    ("幺二三七八", [("幺二三七八", "12378")]),
    ("请拨打95588", [("95588", "95588")]),
    ("回拨400-820-8820", [("400-820-8820", "4008208820")]),
    ("13812345678", [("13812345678", "13812345678")]),
    ("工号三幺五七", []),
    ("欠款15000", []),
    ("尾号5520", []),
])
def test_phone(text: str, expected: list[tuple[str, str]]) -> None:
    assert read(text, "phone") == expected


def test_no_character_is_read_twice() -> None:
    entities = find_entities(normalise("每年缴费一万五，从尾号5520的卡里扣，百分之一百，2026年"))
    assert [(e.kind, e.text) for e in entities] == [
        ("amount", "一万五"), ("account_tail", "尾号5520"), ("percent", "百分之一百"),
        ("date", "2026年")]


NUMBER_TEXT = st.text(alphabet="零〇一二两三四五六七八九幺十百千万亿点多块元号月年天期个%.,，。"
                              "尾后四位分之¥ 0123456789今下周", max_size=30)


@given(NUMBER_TEXT)
def test_entities_are_disjoint_spans_of_the_text(text: str) -> None:
    entities = find_entities(text)
    for entity in entities:
        assert text[entity.start:entity.end] == entity.text != ""
    for first, second in pairwise(entities):
        assert first.end <= second.start


def test_extraction_is_cached_per_text() -> None:
    assert find_entities("您这期得还九千出头") is find_entities("您这期得还九千出头")
    assert find_entities("好的您稍等") == ()


def test_find_kinds_keeps_the_named_classes() -> None:
    kinds = [e.kind for e in find_kinds("尾号5520的卡欠款一万五", ["amount"])]
    assert kinds == ["amount"]


@pytest.mark.parametrize(("condition", "turns", "expected"), [
    pytest.param("type: keyword\nkeywords: ['@amount']\n",
                 [(A, "您这期得还九千出头"), (A, "好的")], [(0, "九千出头")], id="keyword"),
    pytest.param("type: keyword\nkeywords: ['@amount', 欠款]\nmode: all\n",
                 [(A, "欠款一万三出头")], [(0, "欠款")], id="all-with-words"),
    pytest.param("type: keyword\nkeywords: ['@amount', 欠款]\nmode: all\n",
                 [(A, "欠款的事")], [], id="all-needs-the-entity"),
    pytest.param("type: proximity\na: [存单]\nb: ['@amount', '@date']\nmax_distance: 3\n",
                 [(A, "您那张二十万的存单月底到期")], [(0, "二十万的存单")], id="proximity"),
    pytest.param("type: keyword\nkeywords: ['@phone']\n", [(C, "我打12 3 15"), (A, "一二三一五")],
                 [(1, "一二三一五")], id="role-scope"),
])
def test_entity_items_in_phrase_lists(tmp_path: Path, condition: str, turns: list,
                                      expected: list) -> None:
    assert spans(run(load_rule(tmp_path, condition), turns)) == expected


def test_evidence_names_the_class(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, "type: keyword\nkeywords: ['@amount']\n")
    [finding] = run(rule, [(A, "您这期得还九千出头")])
    assert finding.explanation == "命中金额「九千出头」"


def test_entity_items_sit_beside_pack_lists(tmp_path: Path) -> None:
    rule = load_rule(tmp_path, "type: keyword\nkeywords: ['@debt', '@amount']\n",
                     lists="debt: [欠款]")
    assert spans(run(rule, [(A, "欠款"), (A, "两千块")])) == [(0, "欠款"), (1, "两千块")]


@pytest.mark.parametrize("name", sorted(ENTITY_NAMES))
def test_a_list_may_not_take_an_entity_name(tmp_path: Path, name: str) -> None:
    (tmp_path / "p.yaml").write_text(pack_text(f"type: keyword\nkeywords: ['@{name}']\n",
                                               lists=f"{name}: [欠款]"), encoding="utf-8")
    with pytest.raises(RuleConfigError) as error:
        load_rules(tmp_path)
    assert error.value.rule_id == "test.rule"
    assert error.value.source.endswith("p.yaml")
    assert f"@{name}" in error.value.problem


def test_unknown_item_is_still_an_undefined_list(tmp_path: Path) -> None:
    with pytest.raises(RuleConfigError, match="未定义的词表 @amounts"):
        load_rule(tmp_path, "type: keyword\nkeywords: ['@amounts']\n")
