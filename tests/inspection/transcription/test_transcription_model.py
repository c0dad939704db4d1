"""The embedded model assembly (verified, atomic), options, load errors and lazy imports."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from inspection.errors import ModelLoadError
from inspection.transcription import TranscriberOptions, load_transcriber
from inspection.transcription import model as model_module


@pytest.fixture
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Two small parts and side files standing in for the PyPI packages' data."""
    parts = [tmp_path / "part1", tmp_path / "part2"]
    parts[0].write_bytes(b"a" * 1000)
    parts[1].write_bytes(b"b" * 500)
    sources: dict[str, list[Path]] = {"parts": parts}
    for name in model_module._SIDE_FILES:
        (tmp_path / name).write_text("{}", encoding="utf-8")
        sources[name] = [tmp_path / name]
    digest = hashlib.sha256(b"a" * 1000 + b"b" * 500).hexdigest()
    monkeypatch.setattr(model_module, "EMBEDDED_SIZE", 1500)
    monkeypatch.setattr(model_module, "EMBEDDED_SHA256", digest)
    monkeypatch.setattr(model_module, "_embedded_sources", lambda: sources)
    return parts


def test_assembles_once_and_leaves_no_staging(fake_parts: list[Path], tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    target = model_module.ensure_embedded_model(cache)
    assert (target / "model.bin").read_bytes() == b"a" * 1000 + b"b" * 500
    assert {p.name for p in target.iterdir()} == {"model.bin", *model_module._SIDE_FILES}
    assert [p.name for p in cache.iterdir()] == [target.name]
    fake_parts[0].unlink()  # a second call must not need the parts again
    assert model_module.ensure_embedded_model(cache) == target


def test_damaged_parts_are_refused_and_nothing_is_left(fake_parts: list[Path],
                                                       tmp_path: Path) -> None:
    fake_parts[1].write_bytes(b"c" * 500)
    cache = tmp_path / "cache"
    with pytest.raises(ModelLoadError, match=r"damaged.*reinstall"):
        model_module.ensure_embedded_model(cache)
    assert list(cache.iterdir()) == []


def test_real_embedded_parts_are_installed() -> None:
    sources = model_module._embedded_sources()
    assert sum(p.stat().st_size for p in sources["parts"]) == model_module.EMBEDDED_SIZE


def test_options_from_dict_and_validation() -> None:
    options = TranscriberOptions.from_dict(
        {"model": "large-v3", "device": "cuda", "batch_size": 8, "cache_dir": "/tmp/x",
         "temperature": 0.2, "beam_size": None}
    )
    assert (options.model, options.device, options.batch_size) == ("large-v3", "cuda", 8)
    assert options.cache_dir == Path("/tmp/x") and options.temperature == (0.2,)
    assert options.beam_size == TranscriberOptions().beam_size
    with pytest.raises(ValueError, match="unknown transcriber options: modle"):
        TranscriberOptions.from_dict({"modle": "x"})
    with pytest.raises(ValueError, match="device"):
        TranscriberOptions(device="tpu")  # type: ignore[arg-type]


def test_compute_type_defaults_follow_the_device() -> None:
    assert model_module.default_compute_type("cpu") == "int8"
    assert model_module.default_compute_type("cuda") == "float16"


@pytest.mark.parametrize("model", ["/nonexistent/whisper", "./models/large.bin"])
def test_missing_model_directory_says_so(model: str) -> None:
    with pytest.raises(ModelLoadError, match="does not exist"):
        load_transcriber(TranscriberOptions(model=model, device="cpu"))


def test_directory_without_model_bin_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"no model\.bin"):
        load_transcriber(TranscriberOptions(model=str(tmp_path), device="cpu"))


def test_uncached_model_name_fails_offline_with_advice() -> None:
    with pytest.raises(ModelLoadError, match="huggingface-cli download"):
        load_transcriber(TranscriberOptions(model="no-such-model-xyz", device="cpu"))


def test_importing_the_package_does_not_load_whisper_or_torch() -> None:
    code = (
        "import sys, inspection.transcription, inspection.transcription.cli\n"
        "heavy = {'faster_whisper', 'torch', 'ctranslate2'} & set(sys.modules)\n"
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
