"""Ways to run whisper on speech regions of one channel decoded on their own.

The default decoder packs a channel's regions into shared 30 s windows (`packing.PackedDecoder`)
and uses `FittedDecoder` for the regions whisper skips there. Whisper's encoder works on 30 s
windows and faster-whisper pads every decode to one, so a region decoded alone costs a full
encoder pass (1.9 s of one CPU core for whisper-base int8) however short it is, and the decoder
then attends over all 1,500 encoder frames at every step. Both costs shrink with the window.

- `FittedDecoder`: the encoder window is fitted to the region, `WINDOW_PAD_S` longer in whole
  `WINDOW_STEP_S` steps, but no shorter than `min_window_s` (CTranslate2's encoder takes any
  length up to 30 s). Regions of one window size are decoded together, `batch_size` at a time.
  `decode_clips` is the shared step: clips in one window size, decoded, words aligned.
- `PipelineDecoder`: faster-whisper's `BatchedInferencePipeline`, one 30 s window per region.
- `SequentialDecoder`: the classic decoder with temperature fallback (`batch_size=0`).

Shorter windows cost accuracy with whisper-base, mostly on short turns (56 variants of the real
clips: mean CER 0.100 at 30 s, 0.113 with a 16 s floor, 0.163 with tight windows), hence a floor
on CPU (`transcribe.CPU_MIN_WINDOW_S`). Measurements: docs/transcription.md, Performance.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from inspection.transcription.audio import SAMPLE_RATE, Samples
from inspection.transcription.beams import BeamSchedule
from inspection.transcription.segments import RecognisedSegment, build_segment, from_whisper

if TYPE_CHECKING:
    import ctranslate2
    from faster_whisper import WhisperModel

logger = logging.getLogger("inspection.transcription")

Region = tuple[float, float]

MAX_LENGTH = 448  # whisper's decoder positions: prompt plus generated tokens
MAX_NEW_TOKENS = 200
FULL_WINDOW_S = 30.0
WINDOW_PAD_S = 1.0
WINDOW_STEP_S = 2.0
_HOP = 160  # samples per mel frame
PREPEND_PUNCTUATION = "\"'“¿([{-"
APPEND_PUNCTUATION = "\"'.。,，!！?？:：”)]}、"


WordTiming = tuple[str, float, float, float]  # word, start, end, probability


@dataclass(frozen=True)
class DecodedClip:
    """Whisper's text for one clip and its words, times in seconds from the clip's start."""

    text: str
    words: list[WordTiming]
    seconds: float
    avg_logprob: float
    no_speech_prob: float


class Decoder(Protocol):
    def decode(self, samples: Samples, regions: Sequence[Region]) -> list[RecognisedSegment]: ...


def token_budget(seconds: float, cap: int = MAX_NEW_TOKENS) -> int:
    """Most tokens a clip may produce: ~10 a second (fast Mandarin is ~7 characters a second,
    and a rarer character takes two or three tokens), at most `cap`: by default 200, so that a
    hotwords prompt of up to 224 tokens still fits whisper's 448."""
    return min(cap, int(seconds * 10) + 20)


def window_seconds(duration: float, minimum: float = 0.0) -> float:
    """The encoder window for a region: `WINDOW_PAD_S` longer or more, whole `WINDOW_STEP_S`,
    no shorter than `minimum` and no longer than whisper's 30 s."""
    steps = math.ceil((duration + WINDOW_PAD_S) / WINDOW_STEP_S)
    return min(FULL_WINDOW_S, max(minimum, steps * WINDOW_STEP_S))


def window_batches(regions: Sequence[Region], batch_size: int, minimum: float = 0.0) -> list[list[Region]]:
    """Regions grouped by window size, at most `batch_size` in a group (one encoder call each)."""
    by_window: dict[float, list[Region]] = {}
    for region in regions:
        by_window.setdefault(window_seconds(region[1] - region[0], minimum), []).append(region)
    size = max(1, batch_size)
    return [group[i : i + size] for _, group in sorted(by_window.items()) for i in range(0, len(group), size)]



@dataclass(frozen=True)
class _Hypothesis:
    tokens: list[int]
    avg_logprob: float
    no_speech_prob: float


RetryTest = Callable[[int, DecodedClip], bool]

class FittedDecoder:
    """Encode each region in a window fitted to it, decode without timestamps, align the words.

    Decoding follows `beams`: greedy first, and a window whose first pass failed (or that the
    caller's `retry_if` rejects) decoded again with the wider beam from the same encoder output.
    """

    def __init__(
        self,
        model: WhisperModel,
        *,
        arguments: dict[str, Any],
        batch_size: int,
        min_window_s: float,
        beams: BeamSchedule | None = None,
    ) -> None:
        # faster-whisper is imported here, not at module level: importing the package must not
        # load it (or torch); a decoder exists only once a model has been loaded
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_ctranslate2_storage, get_suppressed_tokens

        self.model = model
        self.beams = beams or BeamSchedule(first=int(arguments["beam_size"]), retry=0)
        self.temperature = float(arguments["temperature"][0])
        self.batch_size = batch_size
        self.min_window_s = min_window_s
        language = arguments["language"]
        self.tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, "transcribe", language)
        hotwords = arguments["hotwords"]
        self.prompt = model.get_prompt(self.tokenizer, [], without_timestamps=True, hotwords=hotwords)
        self.suppress = list(get_suppressed_tokens(self.tokenizer, (-1,)) or ())
        self.placeholder = self.tokenizer.encode("。")  # aligned in place of an empty text
        self._storage = get_ctranslate2_storage

    @property
    def beam_size(self) -> int:
        return self.beams.first

    def decode(self, samples: Samples, regions: Sequence[Region]) -> list[RecognisedSegment]:
        batches = window_batches(regions, self.batch_size, self.min_window_s)
        decoded = [segment for batch in batches for segment in self._batch(samples, batch)]
        return sorted(decoded, key=lambda segment: segment.start)

    def _batch(self, samples: Samples, regions: list[Region]) -> list[RecognisedSegment]:
        longest = max(end - start for start, end in regions)
        window = window_seconds(longest, self.min_window_s)
        most = int(window * SAMPLE_RATE)
        clips = [samples[int(a * SAMPLE_RATE) : int(b * SAMPLE_RATE)][:most] for a, b in regions]
        return [
            build_segment(
                clip.text,
                clip.words,
                span=(0.0, clip.seconds),
                avg_logprob=clip.avg_logprob,
                no_speech_prob=clip.no_speech_prob,
                offset=region[0],
            )
            for region, clip in zip(regions, self.decode_clips(clips, window), strict=True)
        ]

    def decode_clips(
        self, clips: Sequence[np.ndarray], window_s: float, *, retry_if: RetryTest | None = None
    ) -> list[DecodedClip]:
        """Decode clips together in one `window_s` encoder window; word times from each clip's
        start. A clip whose first pass failed (`beams`), or that `retry_if(index, clip)` rejects,
        is decoded again with the wider beam (encoded once either way)."""
        window = int(window_s * SAMPLE_RATE)
        features = np.stack([self._features(clip, window) for clip in clips])
        encoded = self.model.encode(features)
        longest = max(len(clip) for clip in clips) / SAMPLE_RATE
        hypotheses = self._generate(encoded, self.beams.first, longest)
        failed = [i for i, h in enumerate(hypotheses) if self.beams.retries and self._failed(h)]
        for i, retried in zip(failed, self._again(encoded, features, failed, longest), strict=True):
            hypotheses[i] = retried
        decoded = self._aligned(hypotheses, encoded, clips)
        if retry_if is None or not self.beams.retries:
            return decoded
        again = [i for i, clip in enumerate(decoded) if i not in failed and retry_if(i, clip)]
        if again:
            subset = self._subset(encoded, features, again)
            better = self._generate(subset, self.beams.retry, longest)
            redone = self._aligned(better, subset, [clips[i] for i in again])
            for i, clip in zip(again, redone, strict=True):
                decoded[i] = clip
        return decoded

    def _failed(self, hypothesis: _Hypothesis) -> bool:
        text = self.tokenizer.decode(hypothesis.tokens)
        return self.beams.failed(text, hypothesis.avg_logprob, hypothesis.no_speech_prob)

    def _again(
        self, encoded: ctranslate2.StorageView, features: np.ndarray, indices: list[int], longest: float
    ) -> list[_Hypothesis]:
        """The clips at `indices` decoded with the retry beam."""
        if not indices:
            return []
        logger.debug("decoding %d of %d windows again with beam %d", len(indices), len(features),
                     self.beams.retry)
        return self._generate(self._subset(encoded, features, indices), self.beams.retry, longest)

    def _subset(
        self, encoded: ctranslate2.StorageView, features: np.ndarray, indices: list[int]
    ) -> ctranslate2.StorageView:
        """The encoder output of some clips: sliced on a CPU, encoded again on a GPU (cheap there;
        a GPU StorageView cannot be sliced)."""
        if encoded.device == "cpu":
            return self._storage(np.ascontiguousarray(np.asarray(encoded)[indices]))
        return self.model.encode(features[indices])

    def _generate(
        self, encoded: ctranslate2.StorageView, beam_size: int, longest: float
    ) -> list[_Hypothesis]:
        results = self.model.model.generate(
            encoded,
            [list(self.prompt) for _ in range(encoded.shape[0])],
            beam_size=beam_size,
            max_length=len(self.prompt) + token_budget(longest, MAX_LENGTH - len(self.prompt)),
            suppress_tokens=self.suppress,
            sampling_temperature=self.temperature,
            return_scores=True,
            return_no_speech_prob=True,
        )
        hypotheses = []
        for result in results:
            tokens = result.sequences_ids[0]
            average = result.scores[0] * len(tokens) / (len(tokens) + 1)
            hypotheses.append(_Hypothesis(tokens, average, float(result.no_speech_prob)))
        return hypotheses

    def _aligned(
        self, hypotheses: list[_Hypothesis], encoded: ctranslate2.StorageView, clips: Sequence[np.ndarray]
    ) -> list[DecodedClip]:
        timings = self._word_timings([h.tokens for h in hypotheses], encoded, clips)
        return [
            DecodedClip(
                text=self.tokenizer.decode(hypothesis.tokens),
                words=timings[i],
                seconds=len(clips[i]) / SAMPLE_RATE,
                avg_logprob=hypothesis.avg_logprob,
                no_speech_prob=hypothesis.no_speech_prob,
            )
            for i, hypothesis in enumerate(hypotheses)
        ]

    def _features(self, clip: np.ndarray, window: int) -> np.ndarray:
        """Log-mel of the clip padded with zeros to `window` samples' worth of frames, the way
        faster-whisper pads every clip to 30 s (so a 30 s window decodes exactly as it does)."""
        features: np.ndarray = self.model.feature_extractor(clip)[..., :-1]
        return np.pad(features, ((0, 0), (0, window // _HOP - features.shape[-1])))

    def _word_timings(
        self, tokens: list[list[int]], encoded: ctranslate2.StorageView, clips: Sequence[np.ndarray]
    ) -> list[list[WordTiming]]:
        """(word, start, end, probability) per clip, times relative to the clip (whisper's DTW)."""
        if not any(tokens):
            return [[] for _ in tokens]
        segments: list[list[dict[str, Any]]] = [
            [{"tokens": ids or self.placeholder, "start": 0.0, "end": len(clip) / SAMPLE_RATE, "seek": 0}]
            for ids, clip in zip(tokens, clips, strict=True)
        ]
        frames = [max(1, len(clip) // _HOP) for clip in clips]
        self.model.add_word_timestamps(
            segments, self.tokenizer, encoded, frames, PREPEND_PUNCTUATION, APPEND_PUNCTUATION, 0.0
        )
        return [
            [(w["word"], w["start"], w["end"], w["probability"]) for w in segment[0]["words"]] if ids else []
            for ids, segment in zip(tokens, segments, strict=True)
        ]


class PipelineDecoder:
    """faster-whisper's batched pipeline over the regions (30 s windows, no temperature fallback)."""

    def __init__(self, model: WhisperModel, *, arguments: dict[str, Any], batch_size: int) -> None:
        from faster_whisper import BatchedInferencePipeline

        self.pipeline = BatchedInferencePipeline(model=model)
        self.arguments = arguments
        self.batch_size = batch_size

    def decode(self, samples: Samples, regions: Sequence[Region]) -> list[RecognisedSegment]:
        if not regions:
            return []
        longest = max(end - start for start, end in regions)
        raw, _ = self.pipeline.transcribe(
            samples[0 : len(samples)],  # the whole channel in memory (not the default decoder)
            batch_size=self.batch_size,
            clip_timestamps=[{"start": start, "end": end} for start, end in regions],
            max_new_tokens=token_budget(longest),
            **self.arguments,
        )
        return [from_whisper(segment) for segment in raw]


class SequentialDecoder:
    """One classic faster-whisper decode per region, so a loop never runs longer than its region."""

    def __init__(self, model: WhisperModel, *, arguments: dict[str, Any]) -> None:
        self.model = model
        self.arguments = arguments

    def decode(self, samples: Samples, regions: Sequence[Region]) -> list[RecognisedSegment]:
        decoded: list[RecognisedSegment] = []
        for start, end in regions:
            clip = samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)]
            raw, _ = self.model.transcribe(
                clip,
                hallucination_silence_threshold=2.0,
                max_new_tokens=token_budget(end - start),
                **self.arguments,
            )
            decoded += [from_whisper(segment, offset=start) for segment in raw]
        return decoded
