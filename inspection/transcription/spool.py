"""A recording decoded to disk, one float32 file per channel, read back by slices.

A 60-minute stereo call is 460 MB of float32 samples at 16 kHz; held in memory it would make a
transcriber's memory grow with the length of the calls it gets. `spool_audio` decodes the file
piece by piece (`audio.open_audio`) into a temporary directory and keeps, per channel, only what
the transcriber asks of the whole channel: its length, its peak, its speech level (the 90th
percentile of 100 ms frame RMS, as `guards.speech_level` computes it) and, for two channels,
their largest difference. Everything else reads slices (`ChannelFile[a:b]`), so memory stays
that of the model plus one batch of windows whatever the length. The directory goes when the
`SpooledAudio` is closed (use it as a context manager).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np

from inspection.transcription.audio import DEFAULT_MAX_DURATION_S, SAMPLE_RATE, open_audio

_FLOAT_BYTES = 4
_LEVEL_FRAME = SAMPLE_RATE // 10  # the 100 ms frames of `guards.speech_level`


class ChannelFile:
    """One channel's 16 kHz float32 samples on disk; `channel[a:b]` reads them into memory."""

    def __init__(self, path: Path, length: int, peak: float, speech_level: float) -> None:
        self.path = path
        self.length = length
        self.peak = peak
        self.speech_level = speech_level

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, index: slice, /) -> np.ndarray:
        start, stop, step = index.indices(self.length)
        if step != 1:
            raise ValueError("a spooled channel is read in contiguous slices")
        with self.path.open("rb") as handle:
            handle.seek(start * _FLOAT_BYTES)
            return np.fromfile(handle, dtype=np.float32, count=max(0, stop - start))


class _ChannelWriter:
    """Appends samples to a channel's file (about a second at a time) and keeps the measures the
    transcriber needs."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle = path.open("wb")
        self.length = 0
        self.peak = 0.0
        self.frame_rms: list[np.ndarray] = []
        self.pending: list[np.ndarray] = []
        self.pending_samples = 0

    def write(self, samples: np.ndarray) -> None:
        self.pending.append(samples.astype(np.float32, copy=False))
        self.pending_samples += len(samples)
        if self.pending_samples >= SAMPLE_RATE:
            self._flush()

    def _flush(self) -> None:
        block = np.concatenate(self.pending) if self.pending else np.zeros(0, dtype=np.float32)
        usable = len(block) // _LEVEL_FRAME * _LEVEL_FRAME
        block[:usable].tofile(self.handle)
        self.length += usable
        if usable:
            self.peak = max(self.peak, float(np.max(np.abs(block[:usable]))))
            frames = block[:usable].reshape(-1, _LEVEL_FRAME)
            self.frame_rms.append(np.sqrt(np.mean(np.square(frames), axis=1)))
        self.pending, self.pending_samples = [block[usable:]], len(block) - usable

    def finish(self) -> ChannelFile:
        self._flush()
        tail = self.pending[0]
        tail.tofile(self.handle)
        self.handle.close()
        self.length += len(tail)
        if len(tail):
            self.peak = max(self.peak, float(np.max(np.abs(tail))))
        if self.frame_rms:
            level = float(np.percentile(np.concatenate(self.frame_rms), 90))
        else:  # shorter than one frame: the RMS of what there is
            level = float(np.sqrt(np.mean(np.square(tail)))) if len(tail) else 0.0
        return ChannelFile(self.path, self.length, self.peak, level)

    def close(self) -> None:
        self.handle.close()


@dataclass
class SpooledAudio:
    """A decoded recording on disk: one `ChannelFile` per channel (1 or 2)."""

    channels: tuple[ChannelFile, ...]
    source_rate: int
    source_channels: int
    difference: float
    directory: tempfile.TemporaryDirectory[str]

    @property
    def duration(self) -> float:
        return len(self.channels[0]) / SAMPLE_RATE

    @property
    def is_stereo(self) -> bool:
        return len(self.channels) == 2

    def peaks(self) -> list[float]:
        return [channel.peak for channel in self.channels]

    def max_difference(self) -> float:
        return self.difference

    def close(self) -> None:
        self.directory.cleanup()

    def __enter__(self) -> SpooledAudio:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def spool_audio(
    path: str | Path, *, max_duration_s: float = DEFAULT_MAX_DURATION_S, directory: Path | None = None
) -> SpooledAudio:
    """Decode `path` into a temporary directory (under `directory`, default the system's) with
    every check `decode_audio` makes (`AudioError`); nothing of it is kept in memory."""
    reader = open_audio(path, max_duration_s=max_duration_s)
    folder = tempfile.TemporaryDirectory(prefix="zhijian-audio-", dir=directory)
    writers: list[_ChannelWriter] = []
    try:
        difference = 0.0
        for chunk in reader.chunks():
            if not writers:
                writers = [_ChannelWriter(Path(folder.name) / f"{i}.f32") for i in range(chunk.shape[0])]
            for writer, samples in zip(writers, chunk, strict=True):
                writer.write(samples)
            if chunk.shape[0] == 2 and chunk.shape[1]:
                difference = max(difference, float(np.max(np.abs(chunk[0] - chunk[1]))))
        channels = tuple(writer.finish() for writer in writers)
    except BaseException:
        for writer in writers:
            writer.close()
        folder.cleanup()
        raise
    return SpooledAudio(channels, reader.source_rate, reader.source_channels, difference, folder)
