"""Compose test recordings at test time from the real speech clips in ../shared/data/speech/."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

RATE = 16_000
WELCOME = "欢迎大家来体验达摩院推出的语音识别模型"
HAPPY = "每一天都要快乐哦"


def read_clip(path: Path) -> np.ndarray:
    """A 16 kHz mono 16-bit WAV as float32 in [-1, 1]."""
    with wave.open(str(path), "rb") as handle:
        assert handle.getframerate() == RATE and handle.getnchannels() == 1
        frames = handle.readframes(handle.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0


def write_wav(path: Path, channels: list[np.ndarray], rate: int = RATE) -> Path:
    """Write one or two float channels as a 16-bit PCM WAV."""
    stacked = np.stack(channels, axis=1)
    pcm = (np.clip(stacked, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(len(channels))
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())
    return path


def resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """Resample 16 kHz audio to `rate` with PyAV (as a telephone system would record it)."""
    frame = av.AudioFrame.from_ndarray(samples[np.newaxis, :].astype(np.float32), format="fltp",
                                       layout="mono")
    frame.sample_rate = RATE
    resampler = av.AudioResampler(format="fltp", layout="mono", rate=rate)
    chunks = [out.to_ndarray()[0] for out in resampler.resample(frame)]
    chunks += [out.to_ndarray()[0] for out in resampler.resample(None)]
    return np.concatenate(chunks)


def encode(source: Path, target: Path, codec: str, rate: int = RATE) -> Path:
    """Re-encode a WAV into another container/codec with PyAV (mp3, aac, libopus, flac)."""
    with av.open(str(source)) as inp:
        frames = list(inp.decode(audio=0))
    with av.open(str(target), "w") as out:
        stream = out.add_stream(codec, rate=rate)
        for frame in frames:
            frame.pts = None
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return target


@dataclass(frozen=True)
class Placement:
    """One clip on one channel of a composed call, starting `at` seconds."""

    role: str
    text: str
    at: float


@dataclass(frozen=True)
class ComposedCall:
    path: Path
    placements: tuple[Placement, ...]
    duration: float


def compose_call(speech_dir: Path, path: Path, *, mono: bool = False,
                 rate: int = RATE) -> ComposedCall:
    """Agent clip on the left, customer clip on the right, a 25 s silent gap and an overlap.

        0.5 s   agent    欢迎大家来体验…        (zh_welcome, 5.5 s)
        7.0 s   customer 每一天都要快乐哦        (zh_happy, 2.4 s)
        34.0 s  agent    欢迎大家来体验…        after a 25 s gap (hold without notice)
        37.5 s  customer 每一天都要快乐哦        overlaps the agent's second turn
    """
    welcome = read_clip(speech_dir / "zh_welcome.wav")
    happy = read_clip(speech_dir / "zh_happy.wav")
    placements = (
        Placement("agent", WELCOME, 0.5),
        Placement("customer", HAPPY, 7.0),
        Placement("agent", WELCOME, 34.0),
        Placement("customer", HAPPY, 37.5),
    )
    duration = 41.0
    left = np.zeros(int(duration * RATE), dtype=np.float32)
    right = np.zeros_like(left)
    for placement in placements:
        clip, channel = (welcome, left) if placement.role == "agent" else (happy, right)
        start = int(placement.at * RATE)
        channel[start : start + len(clip)] += clip
    channels = [(left + right) / 2] if mono else [left, right]
    if rate != RATE:
        channels = [resample(channel, rate) for channel in channels]
    write_wav(path, channels, rate)
    return ComposedCall(path, placements, duration)
