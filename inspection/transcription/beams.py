"""Greedy first, a wider beam only where the first pass failed: the decoding schedule.

Whisper's decoder costs per generated token, and beam search costs about twice greedy per token
on a CPU (whisper-base int8). `BeamSchedule(first=1, retry=5)` decodes every window greedily
and decodes again, with beam 5 and from the same encoder output, only the windows whose greedy
pass failed whisper's own tests (or where the packed decoder finds a region skipped). Measured
on our calls it saves 15-25 % of the CPU but costs 2-3 CER points and misreads a real clip
(greedy's errors on rare words do not show in its log-probability; docs/transcription.md,
Throughput), so the default decodes every window once with one beam (`retry=0`): beam 3 since
2026-12-05, which reads our calls as well as beam 5 at about 0.8× its CPU.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

NO_SPEECH_PROB = 0.6


@dataclass(frozen=True)
class BeamSchedule:
    """Decode with `first` (1: greedy) and decode again with `retry` the windows where that failed.

    A first pass failed when its average log-probability is below `min_avg_logprob` or its text
    compresses more than `max_compression_ratio` (a loop), whisper's own tests; a window whisper
    calls silence (no-speech probability above `NO_SPEECH_PROB` and a low log-probability) is
    never decoded again, so silence costs no second pass. `retry <= first` never retries.
    """

    first: int = 1
    retry: int = 5
    min_avg_logprob: float = -1.0
    max_compression_ratio: float = 2.4

    @property
    def retries(self) -> bool:
        return self.retry > self.first

    def failed(self, text: str, avg_logprob: float, no_speech_prob: float) -> bool:
        if no_speech_prob > NO_SPEECH_PROB and avg_logprob < self.min_avg_logprob:
            return False
        return avg_logprob < self.min_avg_logprob or compression_ratio(text) > self.max_compression_ratio


def compression_ratio(text: str) -> float:
    """UTF-8 length over zlib-compressed length (whisper's loop test; ~1.0-1.6 for speech)."""
    encoded = text.encode("utf-8")
    return len(encoded) / len(zlib.compress(encoded)) if encoded else 0.0
