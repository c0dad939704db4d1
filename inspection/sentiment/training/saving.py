"""Writing a trained model directory and the records kept with it (training time only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
import transformers

from inspection.sentiment.training.dataset import Dataset, split_digest

SPLIT_RULE = (
    "md5(text) bucket 0-99: reviews 0-9 test, 10-19 dev, rest train; "
    "call-centre 0-39 test, 40-54 dev, rest train"
)


def save_model(model: Any, tokenizer: Any, output_dir: Path) -> None:
    """Weights in float16 safetensors (half the size; the loader computes in float32)."""
    output_dir.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(output_dir, safe_serialization=True)
    tokenizer.save_pretrained(output_dir)
    model.float()


def size_on_disk(directory: Path) -> int:
    """Bytes of the model files (weights, config, tokenizer), not the card or the metrics."""
    skipped = {"README.md", "metrics.json"}
    return sum(p.stat().st_size for p in directory.iterdir() if p.is_file() and p.name not in skipped)


def split_record(dataset: Dataset) -> dict[str, Any]:
    digests = {
        "review_test": split_digest(dataset.review_test),
        "callcentre_test": split_digest(dataset.callcentre_test),
    }
    return {"rule": SPLIT_RULE, "sizes": dataset.sizes(), "test_digests": digests}


def versions() -> dict[str, str]:
    """The library versions a run used, recorded in metrics.json."""
    return {"torch": torch.__version__, "transformers": transformers.__version__}
