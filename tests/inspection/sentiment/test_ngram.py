"""The n-gram half of the default model: numpy features equal scikit-learn's, and stacking."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from sklearn.feature_extraction.text import TfidfVectorizer

from inspection.sentiment.ngram import NgramStack, char_ngrams, load_ngram_stack

TEXTS = ["房间很干净，服务很好", "等了两个小时  还没送到!!", "Good 不错", "太差劲了\n再也不来", "一般般"]


def _stack(bert_weight: float = 0.0, ngram_weight: float = 1.0) -> tuple[NgramStack, TfidfVectorizer]:
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
    vectorizer.fit(TEXTS)
    grams = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.__getitem__)
    weights = np.random.default_rng(0).normal(size=(len(grams), 3)).astype(np.float32)
    stack = NgramStack({g: i for i, g in enumerate(grams)}, vectorizer.idf_.astype(np.float32), weights,
                       np.zeros(3, np.float32), bert_weight, ngram_weight, np.zeros(3, np.float32))
    return stack, vectorizer


def test_features_are_scikit_learn_s_char_tfidf() -> None:
    stack, vectorizer = _stack()
    expected = vectorizer.transform([*TEXTS, "没见过的字"]) @ stack.weights
    assert np.allclose(stack.logits([*TEXTS, "没见过的字"]), expected, atol=1e-5)
    assert char_ngrams("AB  c")["ab"] == 1 and " " in char_ngrams("AB  c")


def test_combine_weights_bert_and_ngram_logits() -> None:
    stack, _ = _stack(bert_weight=0.5, ngram_weight=2.0)
    bert = torch.ones(2, 3)
    combined = stack.combine(bert, TEXTS[:2])
    assert torch.allclose(combined, 0.5 * bert + 2.0 * torch.from_numpy(stack.logits(TEXTS[:2])), atol=1e-5)


def test_a_directory_without_ngram_files_has_no_stack(tmp_path) -> None:
    assert load_ngram_stack(tmp_path) is None


@pytest.mark.slow
def test_the_embedded_model_labels_agree_with_its_scores() -> None:
    """positive ⇒ score ≥ 0.5, negative ⇒ score ≤ 0.5; plain opinionated reviews are not neutral."""
    from inspection.sentiment import load_sentiment_model

    model = load_sentiment_model(threads=1)
    reviews = ["房间隔音差得要命，一晚上没睡好", "菜很好吃，送餐也快，下次还点", "质量太差，用了两天就坏了"]
    results = model.predict([*reviews, "我想查一下这个月的账单", "好的，谢谢你"])
    assert [r.label for r in results[:3]] == ["negative", "positive", "negative"]
    for result in results:
        assert result.label != "positive" or result.score >= 0.5
        assert result.label != "negative" or result.score <= 0.5
