"""Fixtures for the transcription tests: the real speech clips, composed calls, the real model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inspection.transcription import Transcriber, TranscriberOptions, load_transcriber
from inspection.types import Conversation
from tests.inspection.transcription.audio_builders import ComposedCall, compose_call

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing may be downloaded, ever


@pytest.fixture(scope="session")
def speech_dir(shared_data: Path) -> Path:
    return shared_data / "speech"


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An XDG cache home for the session: the embedded model is assembled here once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def transcriber(cache_home: Path) -> Transcriber:
    """The real embedded whisper-base (int8, CPU). Only `slow` tests may use it."""
    options = TranscriberOptions(device="cpu", cache_dir=cache_home / "zhijian" / "models")
    return load_transcriber(options)


@pytest.fixture(scope="session")
def stereo_call(speech_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> ComposedCall:
    return compose_call(speech_dir, tmp_path_factory.mktemp("calls") / "call.wav")


@pytest.fixture(scope="session")
def stereo_conversation(transcriber: Transcriber, stereo_call: ComposedCall) -> Conversation:
    return transcriber.transcribe(stereo_call.path)
