"""Speech regions of one channel (silero VAD, as bundled with faster-whisper), as whisper clips.

A channel longer than `VAD_BLOCK_S` (plus the overlap) is read in blocks of that length, each
with `VAD_OVERLAP_S` more on both sides: a block keeps the regions that start inside it (a region
is at most `MAX_CLIP_S` long, so it ends inside the overlap), and a region overlapping the one
before starts where that one ends. Memory then does not grow with the call; up to one block,
the regions are exactly those of the whole channel at once.

faster-whisper's own `vad_filter` glues the speech chunks together before decoding, so two turns
separated by the other speaker's turn become one stream and words near the seam get the wrong
time (or the wrong turn). We run the same VAD, merge regions only when the pause between them is
short, and hand them to whisper as separate `clip_timestamps`: times stay the recording's times.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inspection.transcription.audio import SAMPLE_RATE, Samples

MAX_CLIP_S = 28.0
VAD_BLOCK_S = 320.0  # 10,000 silero windows of 512 samples
VAD_OVERLAP_S = 30.0


@dataclass(frozen=True)
class VadSettings:
    """Silero VAD settings plus how close two regions must be to be decoded together."""

    threshold: float = 0.5
    min_silence_ms: int = 500
    speech_pad_ms: int = 200
    merge_gap_s: float = 1.5


def speech_regions(samples: Samples, settings: VadSettings | None = None) -> list[tuple[float, float]]:
    """(start, end) seconds of speech, neighbouring regions merged up to `MAX_CLIP_S`."""
    settings = settings or VadSettings()
    total = len(samples)
    block, overlap = int(VAD_BLOCK_S * SAMPLE_RATE), int(VAD_OVERLAP_S * SAMPLE_RATE)
    if total <= block + overlap:
        spans = _speech_spans(samples[0:total], settings)
    else:
        spans = []
        for first in range(0, total, block):
            low = max(0, first - overlap)
            for start, end in _speech_spans(samples[low : first + block + overlap], settings):
                start, end = start + low, end + low
                if not first <= start < first + block:
                    continue
                start = max(start, spans[-1][1]) if spans else start
                if end > start:
                    spans.append((start, end))
    regions = [(start / SAMPLE_RATE, end / SAMPLE_RATE) for start, end in spans]
    return merge_regions(regions, settings.merge_gap_s)


def _speech_spans(samples: np.ndarray, settings: VadSettings) -> list[tuple[int, int]]:
    """Silero's speech chunks of `samples`, in samples."""
    # faster-whisper is imported here, not at module level: importing the package must not
    # load it (see the package docstring)
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(
        threshold=settings.threshold,
        min_silence_duration_ms=settings.min_silence_ms,
        speech_pad_ms=settings.speech_pad_ms,
        max_speech_duration_s=MAX_CLIP_S,
    )
    chunks = get_speech_timestamps(samples, options, sampling_rate=SAMPLE_RATE)
    return [(int(chunk["start"]), int(chunk["end"])) for chunk in chunks]


def merge_regions(regions: list[tuple[float, float]], gap_s: float) -> list[tuple[float, float]]:
    """Join regions less than `gap_s` apart while the joined clip stays under `MAX_CLIP_S`."""
    merged: list[tuple[float, float]] = []
    for start, end in regions:
        if merged and start - merged[-1][1] < gap_s and end - merged[-1][0] <= MAX_CLIP_S:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return [(round(start, 3), round(end, 3)) for start, end in merged]
