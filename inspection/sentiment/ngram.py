"""The n-gram half of the default sentiment model: character 1–3-gram TF-IDF + a linear layer,
stacked with the BERT's calibrated logits.

A model directory may carry ``ngram.json`` (the grams, the stacking weights) and
``ngram.safetensors`` (per gram: its IDF and its weight row over the three labels). When it
does, `load_sentiment_model` gives the analyzer a `NgramStack` and each text's logits become

    a · BERT logits + b · n-gram logits + c          (a, b scalars, c one per label)

with a, b and c fitted on the dev splits (`inspection.sentiment.training.stack`). The features
are those of scikit-learn's ``TfidfVectorizer(analyzer="char", ngram_range=(1, 3),
sublinear_tf=True)`` (lower-cased, whitespace runs as one space, 1 + log tf, × IDF, L2-normed)
computed here in numpy, so the runtime needs no scikit-learn; training checks both agree.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import load_file

NGRAM_JSON = "ngram.json"
NGRAM_WEIGHTS = "ngram.safetensors"
NGRAM_RANGE = (1, 3)
_WHITESPACE = re.compile(r"\s\s+")


def char_ngrams(text: str) -> Counter[str]:
    """Counts of the character 1–3-grams of `text`, as scikit-learn's char analyzer makes them."""
    text = _WHITESPACE.sub(" ", text.lower())
    grams: Counter[str] = Counter()
    for size in range(NGRAM_RANGE[0], NGRAM_RANGE[1] + 1):
        grams.update(text[i : i + size] for i in range(len(text) - size + 1))
    return grams


@dataclass(frozen=True)
class NgramStack:
    """The n-gram model (gram index, IDF, weights, bias) and the stacking weights."""

    index: dict[str, int]
    idf: Any  # (grams,) float32
    weights: Any  # (grams, labels) float32
    bias: Any  # (labels,) float32
    bert_weight: float
    ngram_weight: float
    offset: Any  # (labels,) float32

    def features(self, text: str) -> tuple[list[int], Any]:
        """Row indices and L2-normalised TF-IDF values of `text`'s known grams."""
        rows, values = [], []
        for gram, count in char_ngrams(text).items():
            row = self.index.get(gram)
            if row is not None:
                rows.append(row)
                values.append((1.0 + math.log(count)) * float(self.idf[row]))
        vector = np.asarray(values, dtype=np.float32)
        norm = float(np.sqrt((vector * vector).sum())) or 1.0
        return rows, vector / norm

    def logits(self, texts: Sequence[str]) -> Any:
        """(len(texts), labels) n-gram logits."""
        out = np.tile(self.bias, (len(texts), 1))
        for i, text in enumerate(texts):
            rows, values = self.features(text)
            if rows:
                out[i] += values @ self.weights[rows]
        return out

    def combine(self, bert_logits: Any, texts: Sequence[str]) -> Any:
        """The stacked logits (a torch tensor like `bert_logits`)."""
        import torch  # the caller already runs torch

        ngram = torch.from_numpy(self.logits(texts)).to(bert_logits.dtype)
        return (self.bert_weight * bert_logits + self.ngram_weight * ngram
                + torch.from_numpy(self.offset).to(bert_logits.dtype))


def load_ngram_stack(model_dir: Path) -> NgramStack | None:
    """The stack stored in `model_dir`, or None when the directory has none."""
    meta_path, weights_path = model_dir / NGRAM_JSON, model_dir / NGRAM_WEIGHTS
    if not (meta_path.is_file() and weights_path.is_file()):
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    tensors = load_file(str(weights_path))
    stack = meta["stack"]
    return NgramStack(
        index={gram: row for row, gram in enumerate(meta["grams"])},
        idf=tensors["idf"].astype(np.float32),
        weights=tensors["weights"].astype(np.float32),
        bias=tensors["bias"].astype(np.float32),
        bert_weight=float(stack["bert_weight"]),
        ngram_weight=float(stack["ngram_weight"]),
        offset=np.asarray(stack["offset"], dtype=np.float32),
    )
