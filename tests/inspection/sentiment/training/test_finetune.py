"""`python -m inspection.sentiment.training.finetune --base DIR` end to end, in seconds: a tiny
randomly initialised BERT stands in for m3e-small, three tiny review files for the corpora."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
import torch
from transformers import BertConfig, BertForSequenceClassification, BertModel, BertTokenizerFast

from inspection.sentiment import load_sentiment_model
from inspection.sentiment.m3e import M3E_LICENCE, m3e_encoder_path, m3e_sentiment_path
from inspection.sentiment.training.dataset import REVIEW_FILES, load_callcentre
from inspection.sentiment.training.finetune import main, parse_args
from inspection.sentiment.training.finetune_fit import fold_temperature
from inspection.sentiment.training.loss import LABELS

REVIEWS = {"1": ["房间很干净，服务热情", "送餐很快，味道不错", "质量很好，物流也快"],
           "0": ["隔音太差，一晚没睡好", "等了两个小时，饭都凉了", "用了两天就坏了，差评"]}


def _reviews(directory: Path) -> Path:
    for name in REVIEW_FILES:
        path = directory / name.removesuffix(".gz")
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["label", "review"])
            for copy in range(12):
                writer.writerows([label, f"{text}{name[:2]}{copy}"] for label, texts in REVIEWS.items()
                                 for text in texts)
        if name.endswith(".gz"):
            (directory / name).write_bytes(gzip.compress(path.read_bytes()))
    return directory


def _tiny_base(directory: Path) -> Path:
    characters = sorted({c for e in load_callcentre() for c in e.text}
                        | {c for texts in REVIEWS.values() for t in texts for c in t})
    vocab = directory / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *characters]) + "\n",
                     encoding="utf-8")
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(directory)
    config = BertConfig(vocab_size=len(characters) + 5, hidden_size=16, num_hidden_layers=1,
                        num_attention_heads=2, intermediate_size=32, max_position_embeddings=64)
    BertModel(config).save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def finetuned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("finetune")
    (root / "data").mkdir()
    (root / "base").mkdir()
    data, base = _reviews(root / "data"), _tiny_base(root / "base")
    output = root / "out"
    assert main(["--base", str(base), "--data-dir", str(data), "--output-dir", str(output),
                 "--licence", "test licence", "--review-rows", "30", "--review-dev-rows", "20",
                 "--batch-size", "8", "--max-length", "32", "--learning-rate", "1e-3"]) == 0
    return output


def test_finetune_writes_a_directory_zhijian_loads(finetuned: Path) -> None:
    analyzer = load_sentiment_model(finetuned, threads=1)
    results = analyzer.predict(["服务很好", "", "太差了"])
    assert [r.label for r in results][1] == "neutral"
    assert all(0.0 <= r.score <= 1.0 for r in results)
    metrics = json.loads((finetuned / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["licence"] == "test licence"
    assert {"review_test", "callcentre_test"} <= set(metrics["test"])
    assert metrics["history"] and metrics["config"]["review_rows"] == 30
    card = (finetuned / "README.md").read_text(encoding="utf-8")
    assert "test licence" in card and "Test figures" in card
    assert not list(finetuned.parent.glob(".out-*"))  # the staging directory was renamed away


def test_folding_a_temperature_divides_the_logits() -> None:
    config = BertConfig(vocab_size=20, hidden_size=8, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=16, num_labels=len(LABELS))
    model = BertForSequenceClassification(config).eval()
    ids = torch.tensor([[2, 5, 6, 3]])
    before = model(input_ids=ids).logits
    fold_temperature(model, 2.0)
    assert torch.allclose(model(input_ids=ids).logits, before / 2.0, atol=1e-6)


def test_the_defaults_fine_tune_m3e_small_into_the_cache(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    config, base, _, output, licence = parse_args([])
    assert (base, output, licence) == (m3e_encoder_path(), m3e_sentiment_path(), M3E_LICENCE)
    assert config.threads == 1 and config.max_length <= 96
    with pytest.raises(SystemExit):  # another base must name its own output directory
        parse_args(["--base", str(tmp_path / "other")])
