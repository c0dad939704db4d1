"""Speech regions of one channel packed into shared windows, and words mapped back to each."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from inspection.transcription.decoders import DecodedClip, Region
from inspection.transcription.packing import (
    PackedDecoder,
    Placement,
    looks_skipped,
    pack_audio,
    pack_regions,
    place_words,
)
from inspection.transcription.segments import RecognisedSegment, build_segment

RATE = 16_000


def test_consecutive_regions_fill_a_window_one_second_apart() -> None:
    regions = [(1.0, 6.0), (10.0, 12.0), (20.0, 38.0), (40.0, 50.0), (60.0, 88.0)]
    packs = pack_regions(regions, limit_s=27.0, gap_s=1.0)
    assert [[p.region for p in pack] for pack in packs] == [
        [(1.0, 6.0), (10.0, 12.0), (20.0, 38.0)],   # 5 + 1 + 2 + 1 + 18 = 27 s
        [(40.0, 50.0)],                             # would not fit behind the 18 s turn
        [(60.0, 88.0)],                             # longer than the limit: alone
    ]
    assert [p.offset for p in packs[0]] == [0.0, 6.0, 9.0]


def test_packed_audio_holds_each_region_at_its_offset_with_silence_between() -> None:
    samples = np.arange(10 * RATE, dtype=np.float32)
    pack = [Placement((1.0, 2.0), 0.0), Placement((5.0, 5.5), 2.0)]
    packed = pack_audio(samples, pack)
    assert len(packed) == int(2.5 * RATE) + 1
    assert np.array_equal(packed[:RATE], samples[RATE : 2 * RATE])
    assert not packed[RATE : 2 * RATE].any()                     # the 1 s gap
    assert np.array_equal(packed[2 * RATE : int(2.5 * RATE)], samples[5 * RATE : int(5.5 * RATE)])


def test_words_go_back_to_their_region_at_the_recording_time() -> None:
    pack = [Placement((30.0, 33.0), 0.0), Placement((61.0, 63.0), 4.0)]
    words = [("您好", 0.2, 0.6, 0.9), ("请讲", 2.7, 3.3, 0.8),    # ends in the gap: clamped
             ("每", 2.9, 4.3, 0.7),     # starts in the 1st (the gap's silence), ends in the 2nd
             ("谢谢", 5.0, 5.6, 0.6),
             ("啊", 6.2, 6.3, 0.5)]                             # after the last region: nearest
    first, second = place_words(pack, words)
    assert first == [("您好", 30.2, 30.6, 0.9), ("请讲", 32.7, 33.0, 0.8)]
    # its start clamped to the start of the region it belongs to
    assert second == [("每", 61.0, 61.3, 0.7), ("谢谢", 62.0, 62.6, 0.6), ("啊", 63.0, 63.0, 0.5)]


@pytest.mark.parametrize(("region", "characters", "skipped"), [
    ((0.0, 4.0), 0, True),       # nothing came back
    ((0.0, 4.0), 2, True),       # 2 characters for 4 s of speech
    ((0.0, 4.0), 3, False),
    ((0.0, 1.2), 1, False),      # a short 嗯 is fine
])
def test_a_region_with_too_few_characters_is_decoded_again(
    region: Region, characters: int, skipped: bool
) -> None:
    words = [("好", 0.1, 0.2, 0.9)] * characters
    assert looks_skipped(Placement(region, 0.0), words) is skipped


class FakeFallback:
    """Stands in for the whisper model: words for the first region of each window only, and a
    record of what was decoded again alone."""

    def __init__(self) -> None:
        self.windows: list[int] = []
        self.alone: list[Region] = []

    def decode_clips(self, clips: Sequence[np.ndarray], window_s: float, *,
                     retry_if: object = None) -> list[DecodedClip]:
        self.windows.append(len(clips))
        return [DecodedClip("您好请讲", [("您好", 0.1, 0.5, 0.9), ("请讲", 0.5, 0.9, 0.8)],
                            len(clip) / RATE, -0.2, 0.01) for clip in clips]

    def decode(self, samples: np.ndarray, regions: Sequence[Region]) -> list[RecognisedSegment]:
        self.alone += regions
        return [build_segment("嗯嗯好的", [("嗯嗯好的", 0.0, 1.0, 0.5)], span=(0.0, 1.0),
                              avg_logprob=-0.3, no_speech_prob=0.0, offset=start)
                for start, _ in regions]


def test_packed_decoder_decodes_skipped_regions_alone_and_keeps_time_order() -> None:
    fallback = FakeFallback()
    decoder = PackedDecoder(fallback, batch_size=2, limit_s=27.0, gap_s=1.0)  # type: ignore[arg-type]
    samples = np.ones(200 * RATE, dtype=np.float32)
    regions = [(1.0, 3.0), (10.0, 13.0), (40.0, 42.0), (44.0, 70.0), (100.0, 102.0)]
    segments = decoder.decode(samples, regions)
    # three windows, two per encoder call; the fake's words all land in the first region of a
    # window, so the others, and the 26 s region with four characters, are packed again (two
    # windows, one call) and those skipped again are decoded alone
    assert fallback.windows == [2, 1, 2]
    assert fallback.alone == [(40.0, 42.0), (44.0, 70.0)]
    assert [(s.start, s.text) for s in segments] == [
        (1.1, "您好请讲"), (10.1, "您好请讲"), (40.0, "嗯嗯好的"), (44.0, "嗯嗯好的"), (100.1, "您好请讲"),
    ]
    assert segments[0].avg_logprob == -0.2 and segments[0].confidence == pytest.approx(0.85)
