"""Long calls: refused from the header before any work, decoded to disk (memory that does not
grow with length), speech found in blocks, progress reported."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tqdm import tqdm

from inspection import lazy_models
from inspection.transcription.audio import decode_audio, probe_duration
from inspection.transcription.decoders import DecodedClip
from inspection.transcription.packing import PackedDecoder
from inspection.transcription.progress import (
    PROGRESS_LOGGER,
    follow_windows,
    report_windows,
    show_progress,
)
from inspection.transcription.spool import spool_audio
from inspection.transcription.transcribe import speaker_channels
from inspection.transcription.vad import VadSettings, _speech_spans, speech_regions
from tests.inspection.transcription.audio_builders import compose_call, read_clip, write_wav
from zhijian.cli import main


def test_a_spooled_recording_reads_back_exactly_what_decoding_gives(speech_dir: Path, tmp_path: Path) -> None:
    call = compose_call(speech_dir, tmp_path / "call.wav")
    decoded = decode_audio(call.path)
    with spool_audio(call.path, directory=tmp_path) as spooled:
        assert spooled.duration == decoded.duration and spooled.is_stereo
        for kept, spool in zip(decoded.channels, spooled.channels, strict=True):
            assert np.array_equal(kept, spool[0 : len(spool)])
            assert np.array_equal(kept[16_000:48_000], spool[16_000:48_000])
            assert spool.peak == float(np.max(np.abs(kept)))
        assert spooled.max_difference() == decoded.max_difference()
        assert len(speaker_channels(spooled)) == 2
        folder = Path(spooled.directory.name)
        assert sorted(p.name for p in folder.iterdir()) == ["0.f32", "1.f32"]
    assert not folder.exists()  # the decoded samples go when the recording is closed


class RecordingLoads:
    """Stands in for whisper and records whether it was ever loaded."""

    def __init__(self) -> None:
        self.loads = 0

    def __call__(self, options: Any) -> Any:
        self.loads += 1
        raise AssertionError("the model must not load for a recording that is refused")


def test_an_over_long_call_is_refused_before_the_model_loads(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, speech_dir: Path
) -> None:
    loads = RecordingLoads()
    monkeypatch.setattr(lazy_models, "load_transcriber", loads)
    welcome = speech_dir / "zh_welcome.wav"
    assert probe_duration(welcome) == pytest.approx(5.5, abs=0.1)
    assert main(["transcribe", str(welcome), "--max-duration", "3"]) == 2
    err = capsys.readouterr().err
    assert f"{welcome}: 音频过长 (audio is 6 s, over the 3 s limit)" in err
    assert main(["inspect", str(welcome), "--max-duration", "3", "--no-sentiment"]) == 2
    assert "音频过长" in capsys.readouterr().err
    assert loads.loads == 0


def test_progress_records_become_a_bar(tmp_path: Path) -> None:
    with show_progress(tmp_path / "call.wav"):
        handler = PROGRESS_LOGGER.handlers[-1]
        report_windows(3, 8)
        bar = handler.bar  # type: ignore[attr-defined]
        assert (bar.n, bar.total) == (3, 8)
    assert handler not in PROGRESS_LOGGER.handlers
    with tqdm(total=2) as files, follow_windows(files, as_postfix=True):
        report_windows(1, 4)  # `zhijian inspect`: the windows beside the count of files
        assert "转写 1/4 窗口" in str(files)


class WordsAtTheStart:
    """Stands in for the whisper model: one word at the start of each window."""

    min_window_s = 22.0

    def decode_clips(self, clips: Any, window_s: float, **_: Any) -> list[DecodedClip]:
        return [DecodedClip("您好请讲", [("您好请讲", 0.1, 0.9, 0.9)], len(c) / 16_000, -0.2, 0.0)
                for c in clips]

    def decode(self, samples: Any, regions: Any) -> list[Any]:
        return []


def test_the_packed_decoder_reports_its_windows(caplog: pytest.LogCaptureFixture) -> None:
    decoder = PackedDecoder(WordsAtTheStart(), batch_size=2, limit_s=27.0, gap_s=1.0)  # type: ignore[arg-type]
    samples = np.ones(120 * 16_000, dtype=np.float32)
    with caplog.at_level(logging.INFO, logger=PROGRESS_LOGGER.name):
        decoder.decode(samples, [(1.0, 3.0), (40.0, 66.0), (90.0, 92.0)])
    reported = [(r.windows_done, r.windows_total) for r in caplog.records]  # type: ignore[attr-defined]
    # three windows, two per batch; the 26 s region with four characters is packed again alone
    assert reported == [(2, 3), (3, 3), (1, 1)]


@pytest.mark.slow
def test_speech_is_found_in_blocks_as_in_the_whole_channel(speech_dir: Path) -> None:
    """A 12-minute channel (real speech every 20 s) is read in 320 s blocks: the same regions,
    to within the VAD's 32 ms window, as one pass over the whole channel."""
    clip = read_clip(speech_dir / "zh_welcome.wav")
    channel = np.zeros(12 * 60 * 16_000, dtype=np.float32)
    for start in range(5, 12 * 60 - 10, 20):
        channel[start * 16_000 : start * 16_000 + len(clip)] = clip
    settings = VadSettings()
    whole = [(a / 16_000, b / 16_000) for a, b in _speech_spans(channel, settings)]
    blocks = speech_regions(channel, settings)
    assert len(blocks) == len(whole) == 36
    assert max(abs(a - c) + abs(b - d) for (a, b), (c, d) in zip(blocks, whole, strict=True)) < 0.07


# VmHWM, not ru_maxrss: a child's ru_maxrss starts from its parent's size when it was forked
SPOOL_PEAK = """
import re, sys
from pathlib import Path
from inspection.transcription.spool import spool_audio
with spool_audio(sys.argv[1]) as audio:
    audio.channels[0][0:16000]
print(int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024)
"""


@pytest.mark.slow
def test_decoding_memory_does_not_grow_with_the_call(speech_dir: Path, tmp_path: Path) -> None:
    """Peak RSS of decoding a 5-minute and a 40-minute stereo call differ by < 20 MB (held in
    memory, the 40-minute one alone would be 300 MB of samples)."""
    clip = read_clip(speech_dir / "zh_welcome.wav")
    peaks = {}
    for minutes in (5, 40):
        samples = np.resize(clip, minutes * 60 * 16_000)
        path = write_wav(tmp_path / f"{minutes}.wav", [samples, samples[::-1].copy()])
        run = subprocess.run([sys.executable, "-c", SPOOL_PEAK, str(path)], capture_output=True,
                             text=True, check=True, cwd=Path(__file__).resolve().parents[3])
        peaks[minutes] = float(run.stdout.strip().splitlines()[-1])
    assert peaks[40] - peaks[5] < 20, json.dumps(peaks)
