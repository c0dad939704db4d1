"""The distillation teacher of the embedded model (``--teacher``, training time only).

An n-gram logistic-regression classifier (character 1–3-gram TF-IDF, optionally averaged with a
jieba word uni+bigram one) fitted on the training split only. Each training text gets the
teacher's probabilities from the fold that did not see it (K-fold out-of-fold predictions, the
fold a function of the text), so the soft targets never echo a row's own label. The student
learns from both its hard label and these probabilities (`inspection.sentiment.training.fit`).

Fitting takes minutes; ``--teacher-cache`` stores the probabilities in a ``.npz`` keyed by a
digest of the training texts, labels and teacher settings, and reuses them when they match.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jieba
import numpy as np

from inspection.sentiment.ngram import NGRAM_RANGE
from inspection.sentiment.training.dataset import CALLCENTRE_SOURCE, Example, text_bucket

logger = logging.getLogger("inspection.sentiment.training")

TEACHERS = ("none", "char", "char+word")


@dataclass(frozen=True)
class TeacherConfig:
    """Which n-gram models, their regularisation, the fold count and the call-centre weight."""

    kind: str = "char"
    folds: int = 5
    char_c: float = 2.0
    word_c: float = 4.0
    callcentre_weight: float = 30.0


def fold_of(text: str, folds: int) -> int:
    """The out-of-fold group of a training text (stable: its MD5 bucket)."""
    return text_bucket(text) % folds


def _words(text: str) -> list[str]:
    return [word for word in jieba.lcut(text.lower()) if not word.isspace()]


def _word_grams(words: list[str]) -> list[str]:
    return words + [" ".join(pair) for pair in itertools.pairwise(words)]


def char_tfidf() -> Any:
    """The character 1–3-gram TF-IDF (sublinear tf, grams seen at least twice) of the linear
    baseline, the teacher and the stacked n-gram model, whose runtime features
    (`inspection.sentiment.ngram`) reproduce it."""
    # scikit-learn is optional (the `train` / `bench` extras): imported only when one is fitted.
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer="char", ngram_range=NGRAM_RANGE, sublinear_tf=True, min_df=2)


def _vectorizers(kind: str) -> list[tuple[Callable[[], Any], bool]]:
    """Factories of the TF-IDF vectorizers of `kind`, each with whether it reads word lists."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    def word() -> Any:
        return TfidfVectorizer(analyzer=_word_grams, sublinear_tf=True, min_df=2)

    chosen: list[tuple[Callable[[], Any], bool]] = [(char_tfidf, False)]
    if kind == "char+word":
        chosen.append((word, True))
    return chosen


def _fit_predict(features: Sequence[Any], targets: Any, weights: Any, train: Any, test: Any,
                 cs: Sequence[float], make: Sequence[Callable[[], Any]]) -> Any:
    """Mean class probabilities on rows `test` of the models fitted on rows `train`."""
    # scikit-learn is optional (the `train` extra): imported only when a teacher is fitted.
    from sklearn.linear_model import LogisticRegression

    total = None
    for inputs, c, factory in zip(features, cs, make, strict=True):
        vectorizer = factory()
        x_train = vectorizer.fit_transform([inputs[i] for i in train])
        model = LogisticRegression(C=c, max_iter=2000)
        model.fit(x_train, targets[train], sample_weight=weights[train])
        probabilities = model.predict_proba(vectorizer.transform([inputs[i] for i in test]))
        total = probabilities if total is None else total + probabilities
    return np.asarray(total) / len(features)


def out_of_fold_probabilities(
    examples: Sequence[Example], labels: Sequence[str], config: TeacherConfig
) -> Any:
    """(len(examples), len(labels)) teacher probabilities, each row from the model of the folds
    not holding it. Call-centre rows weigh `callcentre_weight` (as repeating them would)."""
    texts = [e.text for e in examples]
    targets = np.array([labels.index(e.label) for e in examples])
    weights = np.array([config.callcentre_weight if e.source == CALLCENTRE_SOURCE else 1.0
                        for e in examples])
    made = _vectorizers(config.kind)
    features = [[_words(t) for t in texts] if words else texts for _, words in made]
    cs = [config.char_c, config.word_c][: len(made)]
    folds = np.array([fold_of(t, config.folds) for t in texts])
    result = np.zeros((len(texts), len(labels)))
    for fold in range(config.folds):
        test, train = np.flatnonzero(folds == fold), np.flatnonzero(folds != fold)
        result[test] = _fit_predict(features, targets, weights, train, test, cs,
                                    [factory for factory, _ in made])
        hits = (result[test].argmax(1) == targets[test]).mean()
        logger.info("teacher fold %d/%d: %d rows, accuracy %.4f", fold + 1, config.folds, len(test), hits)
    return result


def teacher_digest(examples: Sequence[Example], config: TeacherConfig) -> str:
    digest = hashlib.sha256(repr(config).encode())
    for example in examples:
        digest.update(f"{example.label}\t{example.source}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]


def teacher_probabilities(
    examples: Sequence[Example], labels: Sequence[str], config: TeacherConfig, cache: Path | None
) -> dict[str, list[float]]:
    """Out-of-fold teacher probabilities by text, from `cache` when it holds these settings."""
    digest = teacher_digest(examples, config)
    if cache is not None and cache.is_file():
        stored = np.load(cache)
        if str(stored["digest"]) == digest:
            logger.info("teacher probabilities from %s", cache)
            return dict(zip((e.text for e in examples), stored["probabilities"].tolist(), strict=True))
    probabilities = out_of_fold_probabilities(examples, labels, config)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as handle:
            np.savez(handle, digest=np.array(digest), probabilities=probabilities)
    return dict(zip((e.text for e in examples), probabilities.tolist(), strict=True))
