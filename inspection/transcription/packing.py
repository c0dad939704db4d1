"""Speech regions of one channel packed into whisper's 30 s windows, words mapped back to each.

One speaker's channel of a call is mostly silence: the other party is talking. Decoding every
speech region in a window of its own costs one encoder pass per turn, which dominates on a CPU.
`PackedDecoder` lays consecutive regions of a channel end to end, `PACK_GAP_S` of silence between
them, into windows of up to `PACK_LIMIT_S` of audio, decodes each window once at whisper's native
30 s and maps every word back, through the offset of the region it ends in, to the recording's
time. A region that comes back with no words or far too few characters for its length is
skipped: whisper now and then stops early in a window (after a repetition loop, or when it
echoes the hotwords prompt), and tends to leave out a turn that repeats the one before it.
Skipped regions are packed again, with new neighbours, and those skipped twice are decoded on
their own by the fitted decoder, so no turn is lost to packing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from inspection.transcription.audio import SAMPLE_RATE
from inspection.transcription.decoders import FULL_WINDOW_S, DecodedClip, FittedDecoder, Region, WordTiming
from inspection.transcription.segments import RecognisedSegment, build_segment, join_words

PACK_LIMIT_S = 27.0
PACK_GAP_S = 1.0
MIN_CHARS_PER_SECOND = 0.75  # slow Mandarin is ~3 characters a second
_RECHECK_MIN_S = 1.5  # shorter regions may hold a single 嗯
PACKING_ROUNDS = 2


@dataclass(frozen=True)
class Placement:
    """A speech region of the recording placed `offset` seconds into a packed window."""

    region: Region
    offset: float

    @property
    def seconds(self) -> float:
        return self.region[1] - self.region[0]

    def distance(self, time: float) -> float:
        """How far `time` (in the packed window) lies outside this region's span; 0 inside."""
        return max(0.0, self.offset - time, time - (self.offset + self.seconds))

    def to_recording(self, time: float) -> float:
        """A packed-window time as the recording's time (to the millisecond), inside the region."""
        return round(min(self.region[1], max(self.region[0], self.region[0] + time - self.offset)), 3)


def pack_regions(
    regions: Sequence[Region], *, limit_s: float = PACK_LIMIT_S, gap_s: float = PACK_GAP_S
) -> list[list[Placement]]:
    """Consecutive regions in windows of at most `limit_s` of audio, `gap_s` apart."""
    packs: list[list[Placement]] = []
    cursor = 0.0
    for region in regions:
        length = region[1] - region[0]
        if not packs or cursor + length > limit_s:
            packs.append([])
            cursor = 0.0
        packs[-1].append(Placement(region, cursor))
        cursor += length + gap_s
    return packs


def pack_audio(samples: np.ndarray, pack: Sequence[Placement]) -> np.ndarray:
    """The regions' samples laid at their offsets, silence in between."""
    end = pack[-1].offset + pack[-1].seconds
    packed = np.zeros(round(end * SAMPLE_RATE) + 1, dtype=np.float32)
    for placement in pack:
        start, stop = (int(t * SAMPLE_RATE) for t in placement.region)
        at = round(placement.offset * SAMPLE_RATE)
        piece = samples[start:stop][: len(packed) - at]
        packed[at : at + len(piece)] = piece
    return packed


def place_words(pack: Sequence[Placement], words: Sequence[WordTiming]) -> list[list[WordTiming]]:
    """Each word to the region its end is in (or nearest to), its times the recording's.

    Whisper's alignment gives the silence before a turn to the turn's first word, which then
    starts in the gap or even at the end of the previous region; its end is where the speech is.
    """
    placed: list[list[WordTiming]] = [[] for _ in pack]
    for word, start, end, probability in words:
        index = min(range(len(pack)), key=lambda i: pack[i].distance(end))
        placement = pack[index]
        placed[index].append((word, placement.to_recording(start), placement.to_recording(end), probability))
    return placed


def looks_skipped(placement: Placement, words: Sequence[WordTiming]) -> bool:
    """No words, or far too few characters for a region this long: decode it again alone."""
    if not words:
        return True
    characters = sum(len(word.strip()) for word, *_ in words)
    return placement.seconds >= _RECHECK_MIN_S and characters < MIN_CHARS_PER_SECOND * placement.seconds


class PackedDecoder:
    """Regions packed into 30 s windows, `batch_size` windows per encoder call; regions skipped
    in `PACKING_ROUNDS` rounds of packing decoded on their own by `fallback`."""

    def __init__(self, fallback: FittedDecoder, *, batch_size: int) -> None:
        self.fallback = fallback
        self.batch_size = max(1, batch_size)

    def decode(self, samples: np.ndarray, regions: Sequence[Region]) -> list[RecognisedSegment]:
        segments: list[RecognisedSegment] = []
        pending = list(regions)
        for _ in range(PACKING_ROUNDS):
            if not pending:
                break
            decoded, pending = self._packed(samples, pending)
            segments += decoded
        segments += self.fallback.decode(samples, pending)
        return sorted(segments, key=lambda segment: segment.start)

    def _packed(
        self, samples: np.ndarray, regions: Sequence[Region]
    ) -> tuple[list[RecognisedSegment], list[Region]]:
        """One round: the regions packed and decoded; the segments, and the regions skipped."""
        packs = pack_regions(regions)
        segments: list[RecognisedSegment] = []
        skipped: list[Region] = []
        for first in range(0, len(packs), self.batch_size):
            batch = packs[first : first + self.batch_size]
            clips = [pack_audio(samples, pack) for pack in batch]
            for pack, clip in zip(batch, self.fallback.decode_clips(clips, FULL_WINDOW_S), strict=True):
                kept, missed = _segments_of_pack(pack, clip)
                segments += kept
                skipped += missed
        return segments, sorted(skipped)


def _segments_of_pack(
    pack: Sequence[Placement], clip: DecodedClip
) -> tuple[list[RecognisedSegment], list[Region]]:
    """One segment per region that got its words; the regions that look skipped."""
    kept: list[RecognisedSegment] = []
    missed: list[Region] = []
    for placement, words in zip(pack, place_words(pack, clip.words), strict=True):
        if looks_skipped(placement, words):
            missed.append(placement.region)
            continue
        kept.append(
            build_segment(
                join_words(word.strip() for word, *_ in words),
                words,
                span=placement.region,
                avg_logprob=clip.avg_logprob,
                no_speech_prob=clip.no_speech_prob,
            )
        )
    return kept, missed
