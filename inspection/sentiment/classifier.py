"""Serve any Hugging Face sequence-classification directory as a `SentimentAnalyzer`.

torch and transformers are imported inside the functions that run the model, never at module
import, so importing `inspection.sentiment` (and starting the CLI) stays fast. The embedded
model is package data (`DEFAULT_MODEL_DIR`), found with `importlib.resources`.

Label names are read from the model's ``config.id2label`` and mapped onto zhijian's three labels
(``negative`` / ``neutral`` / ``positive``; ``LABEL_0``/``LABEL_1`` of an unnamed binary model
count as negative/positive). A binary model has no neutral class: a text whose P(positive)
falls inside `BINARY_NEUTRAL_BAND` is called neutral.

`score` is the text's positivity in [0, 1]: P(positive) + ½·P(neutral). For a binary model that
is exactly P(positive); for a three-label model a neutral text scores about 0.5 (not about 0),
so one threshold scale serves every model and the lexicon fallback.

A BERT classifier (the embedded model's architecture) is run by `bert_logits`, plain torch
with the very same arithmetic as transformers' forward pass but without its per-call Python
overhead, which is a third of a small batch's time. The loader checks it against the model's own
forward pass on probe texts and keeps the model's own for anything that differs.

A directory that also carries an n-gram model (``ngram.json`` + ``ngram.safetensors``, the
embedded model does) has its logits stacked with it (`inspection.sentiment.ngram`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from inspection.errors import ModelLoadError
from inspection.sentiment.m3e import resolve_model_dir
from inspection.sentiment.ngram import load_ngram_stack
from inspection.types import SentimentAnalyzer, SentimentLabel, SentimentResult

logger = logging.getLogger("inspection.sentiment")

# Package data: on disk in a checkout and in an installed wheel; transformers needs a real path.
DEFAULT_MODEL_DIR = Path(str(resources.files("inspection.sentiment") / "model"))
DEFAULT_MAX_LENGTH = 128  # when neither the tokenizer nor the config gives a limit
MAX_LENGTH_CAP = 512
BINARY_NEUTRAL_BAND = (0.35, 0.65)
EMPTY_RESULT = SentimentResult(label="neutral", score=0.5)
# Texts the fast forward pass must score exactly as the model's own: one alone (no padding),
# a padded batch, and one cut at max_length.
PROBE_BATCHES = (
    ["好"],
    ["我想查一下这个月的账单", "你们这什么破服务，等了半个小时还没人管！", "嗯"],
    ["谢谢" * 300, "行吧"],
)

Forward = Callable[[Any, Any], Any]  # (input_ids, attention_mask) -> logits

_LABEL_HINTS: tuple[tuple[str, SentimentLabel], ...] = (
    ("neg", "negative"),
    ("pos", "positive"),
    ("neu", "neutral"),
)


def map_label_names(id2label: dict[int, str]) -> list[SentimentLabel]:
    """zhijian's label for each output of the model, in output order."""
    names = [str(id2label[index]).lower() for index in sorted(id2label)]
    if names == ["label_0", "label_1"]:
        return ["negative", "positive"]
    mapped: list[SentimentLabel] = []
    for name in names:
        label = next((ours for hint, ours in _LABEL_HINTS if hint in name), None)
        if label is None:
            raise ModelLoadError(
                f"模型标签 '{name}' 无法识别：config.json 的 id2label 须含 negative / neutral / "
                f"positive（或二分类的 LABEL_0 / LABEL_1） (unknown label name {name!r})"
            )
        mapped.append(label)
    if "positive" not in mapped or "negative" not in mapped:
        raise ModelLoadError(f"模型须至少有 negative 与 positive 两个标签 (labels: {names})")
    return mapped


@dataclass(frozen=True)
class TransformersSentiment:
    """A loaded sequence-classification model; `predict` runs batched CPU inference."""

    model: Any
    tokenizer: Any
    labels: tuple[SentimentLabel, ...]
    batch_size: int = 64
    max_length: int = DEFAULT_MAX_LENGTH
    forward: Forward | None = None  # None: the model's own forward pass
    stack: Any = None  # an `inspection.sentiment.ngram.NgramStack` when the directory has one

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        results: list[SentimentResult] = [EMPTY_RESULT] * len(texts)
        nonempty = [index for index, text in enumerate(texts) if text and text.strip()]
        # Sorting by length keeps padding (wasted work) small within each batch.
        nonempty.sort(key=lambda index: len(texts[index]))
        for start in range(0, len(nonempty), self.batch_size):
            chunk = nonempty[start : start + self.batch_size]
            for index, result in zip(chunk, self._predict_batch([texts[i] for i in chunk]), strict=True):
                results[index] = result
        return results

    def probabilities(self, texts: Sequence[str]) -> list[list[float]]:
        """Class probabilities per text, in `labels` order (for evaluation)."""
        # torch (heavy) loads on first use, not at import: see the module docstring.
        import torch

        with torch.inference_mode():
            encoded = self.tokenizer(
                list(texts),
                padding=True,
                truncation=True,
                max_length=self.max_length,
                return_tensors="pt",
            )
            if self.forward is not None:
                logits = self.forward(encoded["input_ids"], encoded["attention_mask"])
            else:
                logits = self.model(**encoded).logits
            if self.stack is not None:
                logits = self.stack.combine(logits.float(), texts)
            return torch.softmax(logits.float(), dim=-1).tolist()

    def _predict_batch(self, texts: list[str]) -> list[SentimentResult]:
        return [self._result(row) for row in self.probabilities(texts)]

    def _result(self, probabilities: list[float]) -> SentimentResult:
        by_label: dict[SentimentLabel, float] = {}
        for label, probability in zip(self.labels, probabilities, strict=True):
            by_label[label] = by_label.get(label, 0.0) + probability
        # Positivity: P(positive) + ½·P(neutral). Equal to P(positive) for a binary model; for a
        # three-label model it puts a neutral text near 0.5 instead of near 0, which is what
        # the rules' `max_score` thresholds (and the lexicon fallback) assume.
        score = min(1.0, max(0.0, by_label["positive"] + 0.5 * by_label.get("neutral", 0.0)))
        if "neutral" not in by_label and BINARY_NEUTRAL_BAND[0] < score < BINARY_NEUTRAL_BAND[1]:
            return SentimentResult(label="neutral", score=score)
        label = max(by_label, key=lambda name: by_label[name])
        return SentimentResult(label=label, score=score)


def load_sentiment_model(
    model_dir: str | Path | None = None,
    *,
    threads: int | None = None,
    batch_size: int = 64,
    max_length: int | None = None,
) -> SentimentAnalyzer:
    """Load a Hugging Face sequence-classification model directory, offline, onto the CPU.

    `model_dir` None loads the embedded model shipped with zhijian; ``"m3e-small"`` the opt-in
    research-only model (`inspection.sentiment.m3e`). `threads` sets torch's
    intra-op thread count (None leaves torch's default). `max_length` None truncates at the
    model's own limit (`model_limit`). Raises `ModelLoadError` when the
    directory is missing or is not a usable model.
    """
    path = resolve_model_dir(model_dir) if model_dir is not None else DEFAULT_MODEL_DIR
    if not (path / "config.json").is_file():
        raise ModelLoadError(
            f"情感模型目录 {path} 不存在或缺少 config.json：请指向一个 Hugging Face 分类模型目录，"
            "或运行 `python -m inspection.sentiment.training.train` 重新训练内置模型 "
            f"(sentiment model directory {path} is missing or has no config.json)"
        )
    # torch and transformers (heavy) load on first use, not at import: see the module docstring.
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a CLI's own progress and output stay clean
    if threads is not None:
        torch.set_num_threads(max(1, threads))
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModelForSequenceClassification.from_pretrained(
            path, local_files_only=True, dtype=torch.float32
        )
    except (OSError, ValueError, KeyError) as error:
        raise ModelLoadError(
            f"无法加载情感模型 {path}：{error}。请确认目录含 config.json、权重 (*.safetensors) "
            "和分词器文件，或重新训练内置模型 (cannot load sentiment model)"
        ) from error
    model.eval()
    limit = min(max_length or MAX_LENGTH_CAP, model_limit(model, tokenizer))
    labels = tuple(map_label_names(dict(model.config.id2label)))
    forward = fast_forward(model, tokenizer, limit)
    logger.info("loaded sentiment model %s (%d labels, %s forward pass)", path, len(labels),
                "plain-torch" if forward else "transformers")
    return TransformersSentiment(model, tokenizer, labels, batch_size=batch_size, max_length=limit,
                                 forward=forward, stack=load_ngram_stack(path))


def model_limit(model: Any, tokenizer: Any) -> int:
    """The longest input the model takes: its tokenizer's ``model_max_length`` and its position
    embeddings (whichever is smaller, at most `MAX_LENGTH_CAP`); `DEFAULT_MAX_LENGTH` when
    neither is given."""
    limits = [
        value
        for value in (getattr(tokenizer, "model_max_length", None),
                      getattr(model.config, "max_position_embeddings", None))
        if isinstance(value, int) and 0 < value < 1_000_000  # transformers' "no limit" is huge
    ]
    return min(*limits, MAX_LENGTH_CAP) if limits else DEFAULT_MAX_LENGTH


def fast_forward(model: Any, tokenizer: Any, max_length: int) -> Forward | None:
    """`bert_logits` for this model when it scores the probe texts exactly as the model's own
    forward pass does; None for another architecture or any difference."""
    config = model.config
    if (getattr(config, "model_type", None) != "bert" or config.hidden_act != "gelu"
            or getattr(config, "position_embedding_type", "absolute") != "absolute"):
        return None
    # torch (heavy) loads on first use, not at import: see the module docstring.
    import torch

    forward = partial(bert_logits, model)
    with torch.inference_mode():
        for texts in PROBE_BATCHES:
            encoded = tokenizer(texts, padding=True, truncation=True, max_length=max_length,
                                return_tensors="pt")
            try:
                ours = forward(encoded["input_ids"], encoded["attention_mask"])
            except (AttributeError, RuntimeError, TypeError, IndexError) as error:
                logger.info("plain-torch forward pass unusable (%s); using transformers'", error)
                return None
            if not torch.allclose(ours, model(**encoded).logits, atol=1e-5, rtol=1e-4):
                logger.warning("plain-torch forward pass differs from the model's; using "
                               "transformers'")
                return None
    return forward


def bert_logits(model: Any, input_ids: Any, attention_mask: Any) -> Any:
    """BertForSequenceClassification's forward pass in eval mode, single-segment texts:
    embeddings, each encoder layer (attention, feed-forward, post-LayerNorm), pooler,
    classifier."""
    # torch (heavy) loads on first use, not at import: see the module docstring.
    import torch
    from torch.nn import functional

    bert, config = model.bert, model.config
    batch, length = input_ids.shape
    hidden, heads, eps = config.hidden_size, config.num_attention_heads, config.layer_norm_eps

    def norm(x: Any, layer_norm: Any) -> Any:
        return functional.layer_norm(x, (hidden,), layer_norm.weight, layer_norm.bias, eps)

    def dense(x: Any, linear: Any) -> Any:
        return functional.linear(x, linear.weight, linear.bias)

    def split(x: Any) -> Any:  # (batch, length, hidden) -> (batch, heads, length, head size)
        return x.view(batch, length, heads, hidden // heads).transpose(1, 2)

    embeddings = bert.embeddings
    x = norm(embeddings.word_embeddings.weight[input_ids]
             + embeddings.position_embeddings.weight[:length]
             + embeddings.token_type_embeddings.weight[0], embeddings.LayerNorm)
    mask = attention_mask[:, None, None, :].bool()
    for layer in bert.encoder.layer:
        attention = layer.attention
        context = functional.scaled_dot_product_attention(
            split(dense(x, attention.self.query)), split(dense(x, attention.self.key)),
            split(dense(x, attention.self.value)), attn_mask=mask)
        context = context.transpose(1, 2).reshape(batch, length, hidden)
        x = norm(dense(context, attention.output.dense) + x, attention.output.LayerNorm)
        inner = functional.gelu(dense(x, layer.intermediate.dense))
        x = norm(dense(inner, layer.output.dense) + x, layer.output.LayerNorm)
    pooled = torch.tanh(dense(x[:, 0], bert.pooler.dense))
    return dense(pooled, model.classifier)
