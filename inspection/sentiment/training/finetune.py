"""Fine-tune a pretrained encoder for zhijian's sentiment labels:
``python -m inspection.sentiment.training.finetune --base DIR``.

`--base` is any transformers encoder directory with a tokenizer (BERT-like: config.json,
weights, tokenizer files); without it, the m3e-small encoder that ``make m3e-small`` assembles
(`inspection.sentiment.m3e`, **non-commercial research use only**). A sequence-classification
head over negative / neutral / positive is trained on the same data and splits as the embedded
model (`inspection.sentiment.training.dataset`): a per-corpus sample of the review training rows
plus the call-centre training turns, on one CPU thread by default. The checkpoint with the best
review-dev + call-centre-dev accuracy is kept and calibrated by temperature scaling on those dev
rows (`inspection.sentiment.training.finetune_fit`); test splits are only scored, after the
saved directory is reloaded with `load_sentiment_model`. The output (default: the m3e-small
sentiment directory in zhijian's model cache) is written whole, then renamed into place, with
``metrics.json`` and a model card stating the base's licence (`--licence`).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from inspection.sentiment.m3e import M3E_LICENCE, m3e_encoder_path, m3e_sentiment_path
from inspection.sentiment.training.calibration import dev_logits
from inspection.sentiment.training.dataset import DEFAULT_DATA_DIR, load_dataset
from inspection.sentiment.training.finetune_fit import (
    FitSettings,
    dev_rows,
    dev_score,
    fit,
    fit_temperature,
    fold_temperature,
    training_rows,
)
from inspection.sentiment.training.finetune_report import score_saved_model, write_card
from inspection.sentiment.training.loss import LABELS
from inspection.sentiment.training.m3e_assemble import replace_dir
from inspection.sentiment.training.saving import save_model, size_on_disk, split_record, versions

logger = logging.getLogger("inspection.sentiment.training")


@dataclass(frozen=True)
class FinetuneConfig:
    """Every knob of a fine-tuning run; each is a flag of the same name, recorded in metrics.json.
    The defaults are the m3e-small run of docs/sentiment.md (17 CPU minutes of training)."""

    seed: int = 20261204
    review_rows: int = 6000
    callcentre_repeat: int = 2
    epochs: int = 1
    batch_size: int = 16
    learning_rate: float = 1e-4
    warmup_fraction: float = 0.06
    weight_decay: float = 0.01
    max_length: int = 96
    freeze_embeddings: bool = True
    review_dev_rows: int = 800
    checks_per_epoch: int = 3
    threads: int = 1
    max_minutes: float = 90.0

    def fit_settings(self) -> FitSettings:
        names = {field.name for field in fields(FitSettings)}
        return FitSettings(**{k: v for k, v in asdict(self).items() if k in names})


def load_base(base: Path, config: FinetuneConfig) -> tuple[Any, Any]:
    """The base's tokenizer and a fresh three-label classification head on its encoder."""
    if not (base / "config.json").is_file():
        raise FileNotFoundError(
            f"基础编码器目录 {base} 缺少 config.json：m3e-small 请先运行 `make m3e-small`，"
            f"或用 --base 指向一个 transformers 编码器目录 (base encoder directory not found)")
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, local_files_only=True, num_labels=len(LABELS), dtype=torch.float32,
        id2label=dict(enumerate(LABELS)), label2id={label: i for i, label in enumerate(LABELS)})
    if config.freeze_embeddings:
        model.get_input_embeddings().weight.requires_grad_(False)
    return tokenizer, model


def run(config: FinetuneConfig, base: Path, data_dir: Path, output_dir: Path, licence: str
        ) -> dict[str, Any]:
    """Fine-tune, calibrate, save to a staging directory, score it reloaded, rename it into place."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    dataset = load_dataset(data_dir)
    tokenizer, model = load_base(base, config)
    rows = training_rows(dataset, config.review_rows, config.callcentre_repeat, config.seed)
    dev = dev_rows(dataset, config.review_dev_rows, config.seed)
    logger.info("fine-tuning %s on %d rows (dev %d), splits %s", base, len(rows), len(dev), dataset.sizes())
    started, cpu_started = time.monotonic(), time.process_time()
    model, history = fit(config.fit_settings(), model, tokenizer, rows, dev)
    logits = dev_logits(model, tokenizer, dev, config.max_length)
    temperature = fit_temperature(logits, dev)
    fold_temperature(model, temperature)
    calibrated = dev_score(dev_logits(model, tokenizer, dev, config.max_length), dev)
    train_minutes = round((time.monotonic() - started) / 60, 1)
    train_cpu_minutes = round((time.process_time() - cpu_started) / 60, 1)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}-", dir=output_dir.parent))
    try:
        tokenizer.model_max_length = config.max_length  # serving truncates as training did
        save_model(model, tokenizer, staging)
        metrics: dict[str, Any] = {
            "base": str(base), "licence": licence, "temperature": temperature,
            "dev_after_calibration": calibrated, "history": history,
            "train_rows": len(rows), "train_minutes": train_minutes,
            "train_cpu_minutes": train_cpu_minutes,
            "parameters": sum(p.numel() for p in model.parameters()),
            "size_on_disk_bytes": size_on_disk(staging), "split": split_record(dataset),
            "config": asdict(config), "versions": versions(),
            **score_saved_model(staging, dataset, config.threads),
        }
        (staging / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n")
        write_card(staging, metrics)
        staging.chmod(0o755)
        replace_dir(staging, output_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return metrics


def default_licence(base: Path) -> str:
    if base.resolve() == m3e_encoder_path().resolve():
        return M3E_LICENCE
    return "the base encoder's licence (see its model card) — state it with --licence"


def parse_args(argv: Sequence[str] | None) -> tuple[FinetuneConfig, Path, Path, Path, str]:
    parser = argparse.ArgumentParser(
        description="微调预训练编码器为 zhijian 情绪模型 (fine-tune an encoder for zhijian sentiment); "
                    f"默认基础模型 m3e-small：{M3E_LICENCE}")
    parser.add_argument("--base", type=Path, default=None,
                        help="transformers 编码器目录（默认：make m3e-small 组装的 m3e-small）")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="评论语料目录")
    parser.add_argument("--output-dir", type=Path, default=None,
                        help="输出目录（默认：以 m3e-small 为基础时为模型缓存中的 m3e-small-sentiment）")
    parser.add_argument("--licence", default=None, help="写入模型卡的许可证 (licence of the base)")
    for name, value in asdict(FinetuneConfig()).items():
        kind = (lambda text: text.lower() in {"1", "true", "yes"}) if isinstance(value, bool) else type(value)
        parser.add_argument(f"--{name.replace('_', '-')}", type=kind, default=value)
    args = vars(parser.parse_args(argv))
    base = args.pop("base") or m3e_encoder_path()
    output = args.pop("output_dir")
    if output is None:
        if base.resolve() != m3e_encoder_path().resolve():
            parser.error("--output-dir is required with another --base (the cache dir is m3e-small's)")
        output = m3e_sentiment_path()
    data_dir, licence = args.pop("data_dir"), args.pop("licence") or default_licence(base)
    return FinetuneConfig(**args), base, data_dir, output, licence


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config, base, data_dir, output_dir, licence = parse_args(argv)
    metrics = run(config, base, data_dir, output_dir, licence)
    logger.info("saved %s: %s", output_dir, json.dumps(metrics["test"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
