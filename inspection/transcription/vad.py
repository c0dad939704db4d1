"""Speech regions of one channel (silero VAD, as bundled with faster-whisper), as whisper clips.

faster-whisper's own `vad_filter` glues the speech chunks together before decoding, so two turns
separated by the other speaker's turn become one stream and words near the seam get the wrong
time (or the wrong turn). We run the same VAD, merge regions only when the pause between them is
short, and hand them to whisper as separate `clip_timestamps`: times stay the recording's times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inspection.transcription.audio import SAMPLE_RATE

MAX_CLIP_S = 28.0


@dataclass(frozen=True)
class VadSettings:
    """Silero VAD settings plus how close two regions must be to be decoded together."""

    threshold: float = 0.5
    min_silence_ms: int = 500
    speech_pad_ms: int = 200
    merge_gap_s: float = 1.5


def speech_regions(samples: np.ndarray, settings: VadSettings | None = None) -> list[tuple[float, float]]:
    """(start, end) seconds of speech, neighbouring regions merged up to `MAX_CLIP_S`."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    settings = settings or VadSettings()
    options = VadOptions(
        threshold=settings.threshold,
        min_silence_duration_ms=settings.min_silence_ms,
        speech_pad_ms=settings.speech_pad_ms,
        max_speech_duration_s=MAX_CLIP_S,
    )
    chunks = get_speech_timestamps(samples, options, sampling_rate=SAMPLE_RATE)
    regions = [(chunk["start"] / SAMPLE_RATE, chunk["end"] / SAMPLE_RATE) for chunk in chunks]
    return merge_regions(regions, settings.merge_gap_s)


def merge_regions(regions: list[tuple[float, float]], gap_s: float) -> list[tuple[float, float]]:
    """Join regions less than `gap_s` apart while the joined clip stays under `MAX_CLIP_S`."""
    merged: list[tuple[float, float]] = []
    for start, end in regions:
        if merged and start - merged[-1][1] < gap_s and end - merged[-1][0] <= MAX_CLIP_S:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [(round(start, 3), round(end, 3)) for start, end in merged]
