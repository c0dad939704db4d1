import dataclasses
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
import torch
from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

from inspection.errors import ModelLoadError
from inspection.sentiment import DEFAULT_MODEL_DIR, load_sentiment_model
from inspection.sentiment.classifier import (
    DEFAULT_MAX_LENGTH,
    MAX_LENGTH_CAP,
    TransformersSentiment,
    fast_forward,
    map_label_names,
    model_limit,
)


def test_importing_the_package_does_not_import_torch() -> None:
    code = "import sys, inspection.sentiment; print('torch' in sys.modules, 'transformers' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.split() == ["False", "False"]


def test_missing_directory_says_what_to_do(tmp_path) -> None:
    with pytest.raises(ModelLoadError, match=r"inspection\.sentiment\.training\.train"):
        load_sentiment_model(tmp_path / "nowhere")


@pytest.mark.parametrize(
    ("id2label", "expected"),
    [
        ({0: "negative", 1: "neutral", 2: "positive"}, ["negative", "neutral", "positive"]),
        ({0: "LABEL_0", 1: "LABEL_1"}, ["negative", "positive"]),
        ({0: "Positive", 1: "Negative"}, ["positive", "negative"]),
    ],
)
def test_label_names_map_onto_ours(id2label, expected) -> None:
    assert map_label_names(id2label) == expected


def test_unknown_label_names_are_refused() -> None:
    with pytest.raises(ModelLoadError):
        map_label_names({0: "joy", 1: "anger"})


def test_binary_model_gets_a_neutral_band() -> None:
    analyzer = TransformersSentiment(model=None, tokenizer=None, labels=("negative", "positive"))
    assert analyzer._result([0.5, 0.5]).label == "neutral"
    assert analyzer._result([0.9, 0.1]).label == "negative"
    assert analyzer._result([0.1, 0.9]).score == pytest.approx(0.9)


def test_three_label_score_is_positivity() -> None:
    analyzer = TransformersSentiment(model=None, tokenizer=None, labels=("negative", "neutral", "positive"))
    neutral = analyzer._result([0.0, 1.0, 0.0])
    assert neutral.label == "neutral" and neutral.score == pytest.approx(0.5)
    assert analyzer._result([0.1, 0.2, 0.7]).score == pytest.approx(0.8)
    assert analyzer._result([0.7, 0.2, 0.1]).label == "negative"


@pytest.fixture(scope="module")
def model():
    return load_sentiment_model(threads=1)


@pytest.mark.slow
def test_embedded_model_acceptance_examples(model) -> None:
    results = model.predict(["你们这什么破服务，我要投诉", "好的，谢谢你，问题解决了"])
    assert [r.label for r in results] == ["negative", "positive"]
    assert results[0].score < 0.5 < results[1].score


@pytest.mark.slow
def test_embedded_model_edge_cases(model) -> None:
    texts = ["", "   ", "谢谢" * 3000, "The agent was rude and I want a refund!", "😡😡😡", "12345"]
    results = model.predict(texts)
    assert len(results) == len(texts)
    assert results[0].label == results[1].label == "neutral"
    assert all(r.label in {"negative", "neutral", "positive"} for r in results)
    assert all(0.0 <= r.score <= 1.0 for r in results)


@pytest.mark.slow
def test_batching_does_not_change_results(model) -> None:
    texts = ["我要投诉", "我想查账单", "谢谢你", "我的卡被盗刷了怎么办"] * 5
    one_by_one = [model.predict([text])[0] for text in texts[:4]]
    batched = load_sentiment_model(threads=1, batch_size=3).predict(texts)
    for single, many in zip(one_by_one, batched[:4], strict=True):
        assert single.label == many.label
        assert single.score == pytest.approx(many.score, abs=1e-4)


@pytest.mark.slow
def test_loads_offline_in_a_fresh_process() -> None:
    code = (
        "from inspection.sentiment import load_sentiment_model;"
        "print(load_sentiment_model(threads=1).predict(['我要投诉'])[0].label)"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_HOME": "/nonexistent"}
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert output.stdout.strip() == "negative"


def test_default_model_directory_is_shipped() -> None:
    names = {path.name for path in DEFAULT_MODEL_DIR.iterdir()}
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md", "metrics.json"} <= names


def test_fast_forward_is_only_for_bert() -> None:
    other = SimpleNamespace(config=SimpleNamespace(model_type="roberta", hidden_act="gelu"))
    assert fast_forward(other, tokenizer=None, max_length=128) is None


@pytest.fixture(scope="module")
def tiny_bert():
    """A small random BERT classifier with the embedded model's tokenizer."""
    tokenizer = AutoTokenizer.from_pretrained(DEFAULT_MODEL_DIR, local_files_only=True)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2,
                        num_attention_heads=4, intermediate_size=64, max_position_embeddings=128,
                        type_vocab_size=1, num_labels=3)
    return BertForSequenceClassification(config).eval(), tokenizer


@pytest.mark.slow
def test_fast_forward_scores_exactly_as_the_model(tiny_bert) -> None:
    model, tokenizer = tiny_bert
    forward = fast_forward(model, tokenizer, max_length=128)
    assert forward is not None
    texts = ["你们这什么破服务，我要投诉", "好", "谢谢你，问题解决了", "行吧" * 80]
    encoded = tokenizer(texts, padding=True, truncation=True, max_length=128, return_tensors="pt")
    with torch.inference_mode():
        assert torch.allclose(forward(encoded["input_ids"], encoded["attention_mask"]),
                              model(**encoded).logits, atol=1e-5)


@pytest.mark.slow
def test_fast_forward_is_refused_when_it_differs(tiny_bert, monkeypatch) -> None:
    model, tokenizer = tiny_bert
    own = model.forward
    monkeypatch.setattr(model, "forward", lambda **kwargs: SimpleNamespace(
        logits=own(**kwargs).logits + 0.01))
    assert fast_forward(model, tokenizer, max_length=128) is None


@pytest.mark.slow
def test_embedded_model_uses_the_fast_forward_with_the_same_results(model) -> None:
    assert model.forward is not None
    plain = dataclasses.replace(model, forward=None)
    texts = ["你们这什么破服务，我要投诉", "好的，谢谢你", "", "我想查账单", "算了" * 90]
    for fast, slow in zip(model.predict(texts), plain.predict(texts), strict=True):
        assert fast.label == slow.label
        assert fast.score == pytest.approx(slow.score, abs=1e-6)


def test_model_limit_is_the_smaller_of_tokenizer_and_positions() -> None:
    def fake(tokenizer_limit: object, positions: object) -> tuple[SimpleNamespace, SimpleNamespace]:
        return (SimpleNamespace(config=SimpleNamespace(max_position_embeddings=positions)),
                SimpleNamespace(model_max_length=tokenizer_limit))

    assert model_limit(*fake(256, 256)) == 256
    assert model_limit(*fake(128, 512)) == 128
    assert model_limit(*fake(int(1e30), 514)) == MAX_LENGTH_CAP  # RoBERTa-style: capped
    assert model_limit(*fake(None, None)) == DEFAULT_MAX_LENGTH
