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
from functools import partial

import numpy as np

from inspection.transcription.audio import SAMPLE_RATE, Samples
from inspection.transcription.decoders import (
    FULL_WINDOW_S,
    DecodedClip,
    FittedDecoder,
    Region,
    WordTiming,
    window_seconds,
)
from inspection.transcription.progress import report_windows
from inspection.transcription.segments import RecognisedSegment, build_segment, join_words

PACK_LIMIT_S = 28.5
PACK_GAP_S = 0.5
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


def pack_audio(samples: Samples, pack: Sequence[Placement]) -> np.ndarray:
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


Channel = tuple[Samples, Sequence[Region]]  # one speaker's samples and speech regions


@dataclass(frozen=True)
class ChannelPack:
    """A pack of one channel's regions (a window never mixes channels: no word changes speaker)."""

    channel: int
    pack: list[Placement]

    @property
    def seconds(self) -> float:
        return self.pack[-1].offset + self.pack[-1].seconds


class PackedDecoder:
    """Regions packed into windows of up to `limit_s` of audio `gap_s` apart; regions skipped in
    `PACKING_ROUNDS` rounds of packing decoded on their own by `fallback`.

    The windows of every channel of a call are decoded together, `batch_size` per encoder call,
    longest first (so a call's few windows fill whole batches). A batch is encoded at whisper's
    30 s, or, with `fit_windows`, in a window fitted to its longest pack, no shorter than the
    fallback's `min_window_s` (a call's last windows are seldom full). When the fallback decodes
    greedy first, a window in which a region looks skipped is decoded again with the wider beam
    before anything is packed again."""

    def __init__(
        self,
        fallback: FittedDecoder,
        *,
        batch_size: int,
        limit_s: float = PACK_LIMIT_S,
        gap_s: float = PACK_GAP_S,
        fit_windows: bool = False,
    ) -> None:
        self.fallback = fallback
        self.batch_size = max(1, batch_size)
        self.limit_s = limit_s
        self.gap_s = gap_s
        self.fit_windows = fit_windows

    def decode(self, samples: Samples, regions: Sequence[Region]) -> list[RecognisedSegment]:
        return self.decode_channels([(samples, regions)])[0]

    def decode_channels(self, channels: Sequence[Channel]) -> list[list[RecognisedSegment]]:
        """The segments of each channel, in time order."""
        segments: list[list[RecognisedSegment]] = [[] for _ in channels]
        pending = [list(regions) for _, regions in channels]
        for _ in range(PACKING_ROUNDS):
            if not any(pending):
                break
            decoded, pending = self._packed([samples for samples, _ in channels], pending)
            for mine, found in zip(segments, decoded, strict=True):
                mine += found
        for mine, channel, left in zip(segments, channels, pending, strict=True):
            mine += self.fallback.decode(channel[0], left)
        return [sorted(mine, key=lambda segment: segment.start) for mine in segments]

    def _packed(
        self, samples: Sequence[Samples], regions: Sequence[Sequence[Region]]
    ) -> tuple[list[list[RecognisedSegment]], list[list[Region]]]:
        """One round: every channel's regions packed and decoded; per channel the segments and
        the regions skipped."""
        segments: list[list[RecognisedSegment]] = [[] for _ in samples]
        skipped: list[list[Region]] = [[] for _ in samples]
        packs = [ChannelPack(channel, pack) for channel, mine in enumerate(regions)
                 for pack in pack_regions(mine, limit_s=self.limit_s, gap_s=self.gap_s)]
        done = 0
        for window_s, batch in self._batches(packs):
            clips = [pack_audio(samples[item.channel], item.pack) for item in batch]
            placed = [item.pack for item in batch]
            decoded = self.fallback.decode_clips(clips, window_s, retry_if=partial(_skipped_in, placed))
            for item, clip in zip(batch, decoded, strict=True):
                kept, missed = _segments_of_pack(item.pack, clip)
                segments[item.channel] += kept
                skipped[item.channel] += missed
            done += len(batch)
            report_windows(done, len(packs))
        return segments, [sorted(mine) for mine in skipped]

    def _batches(self, packs: list[ChannelPack]) -> list[tuple[float, list[ChannelPack]]]:
        """Packs longest first, `batch_size` a batch, each with its encoder window."""
        ordered = sorted(packs, key=lambda item: -item.seconds)
        batches = [ordered[i : i + self.batch_size] for i in range(0, len(ordered), self.batch_size)]
        return [(self._window(batch[0].seconds), batch) for batch in batches]

    def _window(self, seconds: float) -> float:
        if not self.fit_windows:
            return FULL_WINDOW_S
        return window_seconds(seconds, self.fallback.min_window_s)


def _skipped_in(batch: Sequence[Sequence[Placement]], index: int, clip: DecodedClip) -> bool:
    """Whether a region of the `index`-th pack of `batch` looks skipped in its decoded `clip`."""
    pack = batch[index]
    return any(looks_skipped(p, words) for p, words in zip(pack, place_words(pack, clip.words), strict=True))


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
