import pytest

from inspection.sentiment import LexiconSentiment


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("你们这什么破服务，我要投诉", "negative"),
        ("我真的受够了，太过分了", "negative"),
        ("我的卡被盗刷了，急死我了", "negative"),
        ("我对处理结果不满意", "negative"),
        ("好的，谢谢你，问题解决了", "positive"),
        ("服务很周到，非常满意", "positive"),
        ("我想查一下这个月的账单", "neutral"),
        ("不好意思，请您稍等", "neutral"),
        ("", "neutral"),
        ("   ", "neutral"),
        ("this is terrible", "negative"),
        ("Thank you so much", "positive"),
    ],
)
def test_lexicon_labels(text: str, label: str) -> None:
    (result,) = LexiconSentiment().predict([text])
    assert result.label == label
    assert 0.0 <= result.score <= 1.0


def test_negated_positive_cue_counts_as_negative() -> None:
    lexicon = LexiconSentiment()
    assert lexicon.polarity("没解决了") < 0
    assert lexicon.polarity("解决了") > 0


def test_lexicon_handles_long_text_and_keeps_order() -> None:
    texts = ["谢谢" * 5000, "投诉", "好的"]
    results = LexiconSentiment().predict(texts)
    assert [r.label for r in results] == ["positive", "negative", "neutral"]


def test_custom_cues() -> None:
    lexicon = LexiconSentiment(negative={"离谱": 3.0}, positive={"给力": 3.0})
    assert [r.label for r in lexicon.predict(["真离谱", "很给力", "投诉"])] == [
        "negative",
        "positive",
        "neutral",
    ]
