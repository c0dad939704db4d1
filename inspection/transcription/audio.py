"""Decode call recordings with PyAV into 16 kHz float32 channels, rejecting unusable files.

Every problem raises `AudioError(source, problem)` naming the file and the cause, so the CLI can
print it, exit 2 and go on with the other files.
"""

from __future__ import annotations

import logging
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import av
import numpy as np

from inspection.errors import AudioError

logger = logging.getLogger("inspection.transcription")

SAMPLE_RATE = 16_000
AUDIO_EXTENSIONS: frozenset[str] = frozenset(
    {".wav", ".mp3", ".m4a", ".aac", ".ogg", ".opus", ".flac", ".webm", ".wma", ".amr"}
)
DEFAULT_MAX_DURATION_S = 2 * 3600.0
_TRUNCATION_TOLERANCE_S = 1.0
_MAX_BAD_PACKET_SHARE = 0.2
_RIFF_SLACK_BYTES = 64


@dataclass(frozen=True)
class DecodedAudio:
    """Decoded audio: one float32 array per channel (1 or 2), all at `SAMPLE_RATE`."""

    channels: tuple[np.ndarray, ...]
    source_rate: int
    source_channels: int

    @property
    def duration(self) -> float:
        return len(self.channels[0]) / SAMPLE_RATE

    @property
    def is_stereo(self) -> bool:
        return len(self.channels) == 2

    def peaks(self) -> list[float]:
        """The largest absolute sample of each channel."""
        return [float(np.max(np.abs(channel))) for channel in self.channels]

    def max_difference(self) -> float:
        """The largest absolute difference between the two channels (0 for mono)."""
        if not self.is_stereo:
            return 0.0
        return float(np.max(np.abs(self.channels[0] - self.channels[1])))

    def mono(self) -> np.ndarray:
        """The channels mixed down to one."""
        if len(self.channels) == 1:
            return self.channels[0]
        return np.mean(np.stack(self.channels), axis=0).astype(np.float32)


class Samples(Protocol):
    """One channel's samples read by slices: a numpy array, or a channel spooled to disk."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: slice, /) -> np.ndarray: ...


def decode_audio(path: str | Path, *, max_duration_s: float = DEFAULT_MAX_DURATION_S) -> DecodedAudio:
    """Decode `path`, resample to 16 kHz and keep stereo channels apart (more are mixed to two).

    Raises `AudioError` for a missing or empty file, something that is not audio, an unsupported
    codec, a truncated or corrupt file, zero-length audio, or audio longer than `max_duration_s`.
    The whole recording is held in memory; `spool.spool_audio` keeps it on disk instead.
    """
    reader = open_audio(path, max_duration_s=max_duration_s)
    data = np.concatenate(list(reader.chunks()), axis=1).astype(np.float32, copy=False)
    audio = DecodedAudio(
        channels=tuple(np.ascontiguousarray(data[i]) for i in range(data.shape[0])),
        source_rate=reader.source_rate,
        source_channels=reader.source_channels,
    )
    logger.debug("decoded %s: %.1f s, %d channel(s)", path, audio.duration, len(audio.channels))
    return audio


def probe_duration(path: str | Path) -> float | None:
    """The duration the container header declares, in seconds (None when it declares none),
    read without decoding; `AudioError` when the file is missing, empty or not audio."""
    path = Path(path)
    _check_file(path)
    with _open(path) as container:
        return _declared_seconds(container, _audio_stream(container, str(path)))


def check_duration(path: str | Path, max_duration_s: float) -> float | None:
    """`probe_duration`, and `AudioError` (音频过长) when the header declares more than
    `max_duration_s`: a recording too long is refused before any decoding."""
    declared = probe_duration(path)
    if declared is not None and declared > max_duration_s + _TRUNCATION_TOLERANCE_S:
        raise AudioError(str(path), _too_long(declared, max_duration_s))
    return declared


@dataclass(frozen=True)
class AudioReader:
    """A recording whose header passed the checks, decoded piece by piece by `chunks()`."""

    path: Path
    max_duration_s: float
    declared_s: float | None
    source_rate: int
    source_channels: int

    def chunks(self) -> Iterator[np.ndarray]:
        """float32 arrays of shape (channels, samples) at 16 kHz, in order; `AudioError` while
        decoding (too long, corrupt, zero-length) or at the end (truncated)."""
        source = str(self.path)
        samples = 0
        with _open(self.path) as container:
            stream = _audio_stream(container, source)
            layout = _layout(stream.codec_context.channels)[1]
            for chunk in _decode_stream(container, stream, layout, source, self.max_duration_s):
                samples += chunk.shape[1]
                yield chunk
        _check_complete(self.path, samples / SAMPLE_RATE, self.declared_s)


def open_audio(path: str | Path, *, max_duration_s: float = DEFAULT_MAX_DURATION_S) -> AudioReader:
    """Check the file and its header (`check_duration`) and return its reader; nothing decoded."""
    path = Path(path)
    declared = check_duration(path, max_duration_s)
    with _open(path) as container:
        context = _audio_stream(container, str(path)).codec_context
        return AudioReader(path, max_duration_s, declared, context.sample_rate, context.channels)


def _open(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path), mode="r", metadata_errors="ignore")
    except av.error.FFmpegError as error:
        raise AudioError(str(path), f"不是可识别的音频文件 (not an audio file: {error.strerror})") from None


def _audio_stream(container: av.container.InputContainer, source: str) -> av.AudioStream:
    if not container.streams.audio:
        raise AudioError(source, "文件中没有音轨 (no audio stream in the file)")
    stream = container.streams.audio[0]
    if stream.codec_context is None:
        raise AudioError(source, "不支持的音频编码 (unsupported codec): convert it to WAV, MP3 or FLAC first")
    return stream


def _check_file(path: Path) -> None:
    if not path.exists():
        raise AudioError(str(path), "文件不存在 (file not found)")
    if not path.is_file():
        raise AudioError(str(path), "不是文件 (not a regular file)")
    if path.stat().st_size == 0:
        raise AudioError(str(path), "文件为空 (empty file, 0 bytes)")


def _too_long(seconds: float, max_duration_s: float) -> str:
    return (
        f"音频过长 (audio is {seconds:.0f} s, over the {max_duration_s:.0f} s limit): "
        "split the recording or raise the max duration setting"
    )


def _declared_seconds(container: av.container.InputContainer, stream: av.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _layout(source_channels: int) -> tuple[int, str]:
    return (1, "mono") if source_channels <= 1 else (2, "stereo")


def _decode_stream(
    container: av.container.InputContainer,
    stream: av.AudioStream,
    layout: str,
    source: str,
    max_duration_s: float,
) -> Iterator[np.ndarray]:
    """Decode packet by packet, skipping corrupt packets; yields (channels, samples) arrays."""
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=SAMPLE_RATE)
    samples = packets = bad_packets = 0
    max_samples = int((max_duration_s + _TRUNCATION_TOLERANCE_S) * SAMPLE_RATE)
    for packet in container.demux(stream):
        packets += 1
        try:
            frames = packet.decode()
        except av.error.FFmpegError:
            bad_packets += 1
            continue
        for frame in frames:
            for out in resampler.resample(frame):
                samples += out.samples
                yield out.to_ndarray()
        if samples > max_samples:
            raise AudioError(source, _too_long(samples / SAMPLE_RATE, max_duration_s))
    for out in resampler.resample(None):
        samples += out.samples
        yield out.to_ndarray()
    if packets and bad_packets / packets > _MAX_BAD_PACKET_SHARE:
        raise AudioError(
            source, f"文件已损坏 (corrupt: {bad_packets} of {packets} packets could not be decoded)"
        )
    if samples == 0:
        raise AudioError(source, "音频时长为零 (zero-length audio: no samples decoded)")


def _check_complete(path: Path, decoded: float, declared: float | None) -> None:
    """Reject a file that ends before its header says it should (a cut-off upload or copy)."""
    riff_missing = _riff_missing_bytes(path)
    if riff_missing > _RIFF_SLACK_BYTES:  # a missing pad byte or two is a writer quirk, not a cut
        raise AudioError(str(path), f"文件被截断 (truncated: {riff_missing} bytes missing from the WAV data)")
    if declared is None or declared <= 0:
        return
    if decoded < 0.8 * declared and declared - decoded > _TRUNCATION_TOLERANCE_S:
        raise AudioError(
            str(path),
            f"文件被截断或已损坏 (truncated: decoded {decoded:.1f} s of the {declared:.1f} s "
            "the header declares)",
        )


def _riff_missing_bytes(path: Path) -> int:
    """For a RIFF/WAVE file, how many bytes are missing compared with its declared size."""
    with path.open("rb") as handle:
        header = handle.read(12)
    if len(header) < 12 or header[:4] != b"RIFF" or header[8:12] != b"WAVE":
        return 0
    (riff_size,) = struct.unpack("<I", header[4:8])
    if riff_size in (0, 0xFFFFFFFF):  # streamed WAV writers leave the size unset
        return 0
    return max(0, riff_size + 8 - path.stat().st_size)
