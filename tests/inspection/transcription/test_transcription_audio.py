"""Decoding: formats, 8 kHz resampling, stereo split, and every bad-input case named by file."""

from __future__ import annotations

import struct
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from inspection.errors import AudioError
from inspection.transcription import AUDIO_EXTENSIONS, decode_audio
from inspection.transcription.audio import SAMPLE_RATE
from tests.inspection.transcription.audio_builders import (
    RATE,
    compose_call,
    encode,
    read_clip,
    resample,
    write_wav,
)


def test_audio_extensions_are_lower_case_with_a_dot() -> None:
    assert {".wav", ".mp3", ".m4a", ".ogg", ".opus", ".flac"} <= AUDIO_EXTENSIONS
    assert all(ext.startswith(".") and ext == ext.lower() for ext in AUDIO_EXTENSIONS)


def test_real_clip_decodes_to_16k_mono(speech_dir: Path) -> None:
    audio = decode_audio(speech_dir / "zh_welcome.wav")
    assert len(audio.channels) == 1 and audio.channels[0].dtype == np.float32
    assert audio.duration == pytest.approx(5.547, abs=0.01)
    assert audio.source_rate == SAMPLE_RATE


def test_8k_telephone_audio_is_resampled_to_16k(speech_dir: Path, tmp_path: Path) -> None:
    clip = read_clip(speech_dir / "zh_happy.wav")
    path = write_wav(tmp_path / "tel.wav", [resample(clip, 8000)], rate=8000)
    audio = decode_audio(path)
    assert audio.source_rate == 8000
    assert audio.duration == pytest.approx(len(clip) / RATE, abs=0.02)


def test_stereo_keeps_each_speaker_on_its_channel(speech_dir: Path, tmp_path: Path) -> None:
    call = compose_call(speech_dir, tmp_path / "call.wav")
    left, right = decode_audio(call.path).channels

    def loud(channel: np.ndarray, start: float, end: float) -> bool:
        piece = channel[int(start * RATE) : int(end * RATE)]
        return float(np.sqrt(np.mean(piece**2))) > 0.01

    assert loud(left, 1.0, 5.0) and not loud(right, 1.0, 5.0)  # agent speaks, customer silent
    assert loud(right, 7.2, 9.0) and not loud(left, 7.2, 9.0)
    assert not loud(left, 12.0, 33.0) and not loud(right, 12.0, 33.0)  # the long gap


@pytest.mark.parametrize(("suffix", "codec", "rate"), [
    (".mp3", "mp3", 16000), (".m4a", "aac", 16000), (".ogg", "libopus", 48000),
    (".flac", "flac", 16000),
])
def test_compressed_formats_decode(speech_dir: Path, tmp_path: Path, suffix: str, codec: str,
                                   rate: int) -> None:
    path = encode(speech_dir / "zh_happy.wav", tmp_path / f"clip{suffix}", codec, rate)
    assert decode_audio(path).duration == pytest.approx(2.43, abs=0.15)


def _empty(tmp: Path, clip: Path) -> Path:
    (tmp / "empty.wav").write_bytes(b"")
    return tmp / "empty.wav"


def _zero_length(tmp: Path, clip: Path) -> Path:
    with wave.open(str(tmp / "zero.wav"), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(RATE)
    return tmp / "zero.wav"


def _not_audio(tmp: Path, clip: Path) -> Path:
    (tmp / "notes.mp3").write_text("客户说明：这不是录音文件\n" * 50, encoding="utf-8")
    return tmp / "notes.mp3"


def _truncated_wav(tmp: Path, clip: Path) -> Path:
    data = clip.read_bytes()
    (tmp / "cut.wav").write_bytes(data[: len(data) // 3])
    return tmp / "cut.wav"


def _truncated_mp3(tmp: Path, clip: Path) -> Path:
    data = encode(clip, tmp / "full.mp3", "mp3").read_bytes()
    (tmp / "cut.mp3").write_bytes(data[: len(data) // 3])
    return tmp / "cut.mp3"


def _unsupported_codec(tmp: Path, clip: Path) -> Path:
    data = bytearray(clip.read_bytes())
    data[20:22] = struct.pack("<H", 0x1234)  # a WAVE format tag no decoder knows
    (tmp / "odd.wav").write_bytes(bytes(data))
    return tmp / "odd.wav"


def _missing(tmp: Path, clip: Path) -> Path:
    return tmp / "nowhere.wav"


BAD_INPUTS: list[tuple[Callable[[Path, Path], Path], str]] = [
    (_empty, "empty file"),
    (_zero_length, "zero-length"),
    (_not_audio, "not an audio file"),
    (_truncated_wav, "truncated"),
    (_truncated_mp3, "truncated"),
    (_unsupported_codec, "unsupported codec"),
    (_missing, "not found"),
]


@pytest.mark.parametrize(("make", "cause"), BAD_INPUTS, ids=[m.__name__ for m, _ in BAD_INPUTS])
def test_bad_input_names_the_file_and_the_cause(
    speech_dir: Path, tmp_path: Path, make: Callable[[Path, Path], Path], cause: str
) -> None:
    path = make(tmp_path, speech_dir / "zh_welcome.wav")
    with pytest.raises(AudioError) as error:
        decode_audio(path)
    assert error.value.source == str(path)
    assert cause in str(error.value) and str(path) in str(error.value)


def test_over_max_duration_is_refused(speech_dir: Path) -> None:
    with pytest.raises(AudioError, match="over the 3 s limit"):
        decode_audio(speech_dir / "zh_welcome.wav", max_duration_s=3)


def test_over_max_duration_without_a_declared_length(speech_dir: Path, tmp_path: Path) -> None:
    """A streamed WAV leaves the sizes unset: the limit still holds while decoding."""
    data = bytearray((speech_dir / "zh_welcome.wav").read_bytes())
    data[4:8] = struct.pack("<I", 0xFFFFFFFF)
    path = tmp_path / "streamed.wav"
    path.write_bytes(bytes(data))
    with pytest.raises(AudioError, match="音频过长"):
        decode_audio(path, max_duration_s=2)


def test_character_error_rate_ignores_punctuation_and_script() -> None:
    from inspection.transcription.evaluation import character_error_rate

    assert character_error_rate("每一天都要快乐哦", "每一天，都要快樂哦！") == 0.0
    assert character_error_rate("每一天都要快乐哦", "每一天都要快乐") == 1 / 8
    assert character_error_rate("", "") == 0.0


def test_pooled_character_error_rate_weighs_each_pair_by_its_reference_length() -> None:
    from inspection.transcription.evaluation import pooled_character_error_rate

    # 1 error in 8 characters and 2 in 2: 3 / 10, not the mean of 1/8 and 1
    assert pooled_character_error_rate([("每一天都要快乐哦", "每一天都要快乐"), ("你好", "")]) == 3 / 10
    # an empty reference adds nothing, and none at all gives no rate
    assert pooled_character_error_rate([("你好", "你好"), ("", "多余")]) == 0.0
    assert pooled_character_error_rate([("", "多余")]) is None
