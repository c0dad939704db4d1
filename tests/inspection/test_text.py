"""Normalisation, traditional→simplified, tokens with the domain dictionary, pinyin."""

from __future__ import annotations

import pytest

from inspection.text import normalise, prepare_conversation, to_pinyin, tokenize
from inspection.types import Conversation


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("您好 ， 這裡是ＸＸ銀行", "您好，这里是xx银行"),
        ("工號 ８０２７！請稍等…", "工号8027。请稍等。"),
        ("credit   card  賬單", "credit card账单"),
        ("「保本」嗎？", "保本吗。"),
        ("  ", ""),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_domain_terms_stay_whole_tokens() -> None:
    words = [t.word for t in tokenize("这款理财产品不保本，请勿泄露验证码，犹豫期内可撤销")]
    for term in ("理财产品", "保本", "验证码", "犹豫期"):
        assert term in words


def test_token_offsets_index_the_normalised_text() -> None:
    text = normalise("您的信用卡賬單已出")
    for token in tokenize(text):
        assert text[token.start:token.end] == token.word


def test_pinyin_is_one_syllable_per_character_and_homophones_agree() -> None:
    assert to_pinyin("保本ok") == ("bao", "ben", "o", "k")
    assert to_pinyin("宝本") == to_pinyin("保本")


def test_prepare_conversation_runs_once_per_utterance() -> None:
    conversation = Conversation.model_validate({
        "id": "c", "utterances": [{"role": "agent", "text": "您好"},
                                  {"role": "customer", "text": "查賬單"}]})
    prepared = prepare_conversation(conversation)
    assert [u.text for u in prepared.utterances] == ["您好", "查账单"]
    assert [u.index for u in prepared.by_role("customer")] == [1]
    assert len(prepared.utterances[1].pinyin) == 3
