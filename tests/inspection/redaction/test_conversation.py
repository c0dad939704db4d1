"""Redacting a conversation's utterances: word timestamps, merged words, the seconds to mute."""

from __future__ import annotations

import pytest

from inspection.redaction import Detection, RedactedSpan, redact_conversation
from inspection.types import Conversation, Utterance, Word
from tests.inspection.redaction.redaction_builders import CARD16, ID, MOBILE, spoken


def words(*items: tuple[str, float, float]) -> tuple[Word, ...]:
    return tuple(Word(text=text, start=start, end=end) for text, start, end in items)


def conversation(*utterances: Utterance) -> Conversation:
    return Conversation(id="c-1", metadata={"queue": "credit_card"}, utterances=utterances)


def test_conversation_spans_take_their_times_from_the_words() -> None:
    greeting = Utterance(role="agent", start=0.0, end=2.0, text="您好，请问有什么可以帮您？")
    said = words(("我的", 10.0, 10.4), ("手机", 10.4, 10.8), ("是", 10.8, 11.0), ("138", 11.2, 11.9),
                 ("1234", 12.0, 12.8), ("5678", 12.9, 13.6), ("谢谢", 14.0, 14.5))
    text = "我的手机是138 1234 5678谢谢"
    customer = Utterance(role="customer", start=10.0, end=14.5, text=text, words=said)
    original = conversation(greeting, customer)
    redacted, spans = redact_conversation(original)
    assert spans == [RedactedSpan(1, "mobile", 5, 18, 11.2, 13.6)]
    assert redacted.utterances[0] is greeting
    assert redacted.utterances[1].text == "我的手机是[手机号]谢谢"
    assert [(w.text, w.start, w.end) for w in redacted.utterances[1].words] == [
        ("我的", 10.0, 10.4), ("手机", 10.4, 10.8), ("是", 10.8, 11.0),
        ("[手机号]", 11.2, 13.6), ("谢谢", 14.0, 14.5),
    ]
    assert (redacted.id, redacted.metadata) == (original.id, original.metadata)
    assert original.utterances[1] is customer and customer.text.endswith("5678谢谢")


def test_spoken_digits_as_one_word_each() -> None:
    digits = spoken(MOBILE)
    timed = ((char, 4.0 + i * 0.3, 4.25 + i * 0.3) for i, char in enumerate(digits))
    said = words(("号码", 3.0, 3.5), *timed)
    utterance = Utterance(role="customer", start=3.0, end=8.0, text=f"号码，{digits}", words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert [(s.kind, s.start, s.end) for s in spans] == [("mobile", 4.0, pytest.approx(7.25))]
    assert [w.text for w in redacted.utterances[0].words] == ["号码", "[手机号]"]


def test_words_straddling_a_number_are_merged_and_masked() -> None:
    said = words(("号码是138", 1.0, 2.0), (" 1234", 2.0, 2.5), ("5678好的", 2.5, 3.5), ("再见", 4.0, 4.5))
    text = "号码是138 1234 5678好的，再见"
    utterance = Utterance(role="customer", start=1.0, end=4.5, text=text, words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert (spans[0].start, spans[0].end) == (1.0, 3.5)
    assert [(w.text, w.start, w.end) for w in redacted.utterances[0].words] == [
        ("号码是[手机号]好的", 1.0, 3.5), ("再见", 4.0, 4.5)
    ]


def test_filler_words_inside_a_number_are_muted_with_it() -> None:
    said = words(("138", 1.0, 1.6), ("呃", 1.6, 2.0), ("1234", 2.0, 2.8), ("嗯", 2.8, 3.1),
                 ("5678", 3.1, 3.9), ("对", 4.2, 4.4))
    utterance = Utterance(role="customer", start=1.0, end=4.4, text="138呃1234嗯5678，对", words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert [(s.kind, s.start, s.end) for s in spans] == [("mobile", 1.0, 3.9)]
    assert [w.text for w in redacted.utterances[0].words] == ["[手机号]", "对"]


def test_two_numbers_in_one_utterance() -> None:
    said = words(("卡号", 0.0, 0.5), (CARD16, 0.6, 3.0), ("手机", 3.2, 3.6), (MOBILE, 3.7, 5.0))
    utterance = Utterance(role="customer", start=0.0, end=5.0, text=f"卡号{CARD16}，手机{MOBILE}", words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert [(s.kind, s.start, s.end) for s in spans] == [("bank_card", 0.6, 3.0), ("mobile", 3.7, 5.0)]
    assert [w.text for w in redacted.utterances[0].words] == ["卡号", "[银行卡号]", "手机", "[手机号]"]


def test_without_words_the_whole_utterance_is_muted() -> None:
    utterance = Utterance(role="customer", start=7.0, end=9.5, text=f"身份证{ID}")
    redacted, spans = redact_conversation(conversation(utterance))
    assert spans == [RedactedSpan(0, "id_number", 3, 21, 7.0, 9.5)]
    assert redacted.utterances[0].text == "身份证[身份证号]"


def test_words_that_do_not_match_the_text_are_dropped() -> None:
    said = words(("我的", 1.0, 1.5), ("电话", 1.5, 2.0), (MOBILE, 2.0, 4.0))
    utterance = Utterance(role="customer", start=1.0, end=4.0, text=f"我的手机{MOBILE}", words=said)
    redacted, spans = redact_conversation(conversation(utterance))
    assert (spans[0].start, spans[0].end) == (1.0, 4.0)
    assert redacted.utterances[0].words == ()


class NamesEverywhere:
    """A stand-in entity finder: every 张三 is a name."""

    def find(self, text: str) -> list[Detection]:
        start = text.find("张三")
        return [] if start < 0 else [Detection("person_name", start, start + 2, "model")]


def test_an_entity_finder_is_used_only_when_passed() -> None:
    utterance = Utterance(role="customer", start=0.0, end=2.0, text=f"我叫张三，手机{MOBILE}")
    plain, _ = redact_conversation(conversation(utterance))
    with_names, spans = redact_conversation(conversation(utterance), entities=NamesEverywhere())
    assert plain.utterances[0].text == "我叫张三，手机[手机号]"
    assert with_names.utterances[0].text == "我叫[姓名]，手机[手机号]"
    assert [span.kind for span in spans] == ["person_name", "mobile"]
