"""Encoder windows fitted to speech regions, and words of a decoded region at the recording's times."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from inspection.transcription import TranscriberOptions
from inspection.transcription.decoders import (
    PipelineDecoder,
    SequentialDecoder,
    window_batches,
    window_seconds,
)
from inspection.transcription.segments import build_segment, split_at_pauses
from inspection.transcription.transcribe import make_decoder


@pytest.mark.parametrize(("duration", "minimum", "window"), [
    (2.0, 0.0, 4.0),     # at least a second of padding, whole 2 s steps
    (4.8, 0.0, 6.0),
    (5.0, 0.0, 6.0),
    (5.1, 0.0, 8.0),
    (2.0, 22.0, 22.0),   # the floor
    (25.5, 22.0, 28.0),  # a long region still gets its padding above the floor
    (28.0, 0.0, 30.0),   # never more than whisper's 30 s
])
def test_window_fits_the_region(duration: float, minimum: float, window: float) -> None:
    assert window_seconds(duration, minimum) == window


def test_regions_are_batched_by_window_size() -> None:
    regions = [(0.0, 2.0), (3.0, 8.0), (10.0, 11.5), (20.0, 22.0), (30.0, 31.0)]
    assert window_batches(regions, batch_size=2) == [
        [(30.0, 31.0)],                # 2 s window
        [(0.0, 2.0), (10.0, 11.5)],    # 4 s windows, two at a time
        [(20.0, 22.0)],
        [(3.0, 8.0)],                  # 6 s window
    ]
    assert window_batches(regions, batch_size=8, minimum=22.0) == [regions]


def test_words_of_one_decoded_region_become_turns_at_the_recording_times() -> None:
    """A region decoded on its own holds two turns of one speaker (the other speaker talked in
    between); its words, timed from the start of the clip, come back as two utterances at the
    recording's times, each with the confidence of its own words."""
    words = [("您好", 0.1, 0.5, 0.9), ("，", 0.5, 0.5, 1.0), ("请讲", 0.5, 0.9, 0.7),
             ("好的", 2.4, 2.8, 0.5), ("稍等", 2.8, 3.2, 0.3)]
    region = build_segment(" 您好，请讲好的稍等", words, span=(0.0, 3.4), avg_logprob=-0.2,
                           no_speech_prob=0.01, offset=61.5)
    assert (region.start, region.end) == (61.6, 64.7)
    first, second = split_at_pauses(region, 1.0)
    assert (first.text, first.start, first.end) == ("您好，请讲", 61.6, 62.4)
    assert (second.text, second.start, second.end) == ("好的稍等", 63.9, 64.7)
    assert [w.start for w in second.words] == [63.9, 64.3]
    assert first.confidence == pytest.approx(0.8667, abs=1e-4)
    assert second.confidence == pytest.approx(0.4)
    assert second.avg_logprob == -0.2 and second.no_speech_prob == 0.01


def test_a_region_without_words_keeps_whisper_span_and_log_probability() -> None:
    segment = build_segment("嗯", [], span=(0.2, 0.6), avg_logprob=-0.5, no_speech_prob=0.3,
                            offset=10.0)
    assert (segment.start, segment.end, segment.words) == (10.2, 10.6, ())
    assert segment.confidence == pytest.approx(0.6065, abs=1e-4)


def test_decoder_choice_follows_batch_size_and_window() -> None:
    model = SimpleNamespace(model=SimpleNamespace(device="cuda"))
    arguments = {"language": "zh", "beam_size": 5, "temperature": [0.0], "hotwords": None}
    sequential = make_decoder(model, TranscriberOptions(batch_size=0), arguments)
    assert isinstance(sequential, SequentialDecoder)
    unpacked = make_decoder(model, TranscriberOptions(pack_regions=False), arguments)
    assert isinstance(unpacked, PipelineDecoder)  # on GPU, unpacked: whisper's own 30 s windows
    with pytest.raises(ValueError, match="min_window_s"):
        TranscriberOptions(min_window_s=31)
