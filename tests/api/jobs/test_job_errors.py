"""A failed job's error, as users read it, names the problem and never the server's disk layout
(issue 15 item 4)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.jobs.inspection_job import run_inspection_job
from api.runtime import Runtime, build_runtime
from api.services.conversations import accept, audio_step
from api.settings import Settings
from inspection.errors import ModelLoadError
from models import Conversation, session_scope
from tests.api.samples import tone_wav


@pytest.fixture(scope="module")
def runtime(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("job-errors"), database_url=database_url,
                        sentiment_enabled=False, job_max_attempts=1)
    built = build_runtime(settings)
    yield built
    built.engine.dispose()


def _stored_recording(runtime: Runtime) -> tuple[str, Path]:
    conversation_id = f"rec-{uuid.uuid4().hex[:10]}"
    step = audio_step(runtime, filename="call.wav", data=tone_wav(),
                      metadata=json.dumps({"id": conversation_id}))
    accept(runtime, step)
    with session_scope(runtime.engine) as session:
        row = session.get(Conversation, conversation_id)
        assert row is not None and row.audio_path
        return conversation_id, Path(row.audio_path)


def _error_of(runtime: Runtime, conversation_id: str) -> str:
    with session_scope(runtime.engine) as session:
        row = session.get(Conversation, conversation_id)
        assert row is not None and row.status == "failed" and row.error
        return row.error


def test_a_corrupt_recording_names_the_problem_not_the_path(runtime: Runtime) -> None:
    conversation_id, stored = _stored_recording(runtime)
    stored.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt not audio any more")
    with pytest.raises(Exception):  # noqa: B017 - the runner decides about retries
        run_inspection_job(runtime, conversation_id)
    error = _error_of(runtime, conversation_id)
    assert str(runtime.settings.data_dir) not in error and str(stored) not in error
    assert stored.name not in error and "/" not in error
    assert "录音" in error


def test_an_unexpected_failure_is_named_without_internals(runtime: Runtime,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    conversation_id, stored = _stored_recording(runtime)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ModelLoadError(f"{stored.parent}/models/whisper: model.bin missing")

    monkeypatch.setattr(runtime.pipeline, "inspect_audio", broken)
    with pytest.raises(ModelLoadError):
        run_inspection_job(runtime, conversation_id)
    error = _error_of(runtime, conversation_id)
    assert "/" not in error and "model.bin" not in error and "模型" in error
