"""Hallucination guards: drop whisper segments that are loops, echoes of the prompt, or silence.

Whisper invents text when it hears nothing (often a copy of the prompt or of the last sentence)
and sometimes loops on one phrase. A reviewer must never see a deduction for words nobody said,
so such segments are dropped before roles are assigned.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Sequence

import numpy as np

from inspection.transcription.audio import SAMPLE_RATE, Samples
from inspection.transcription.segments import RecognisedSegment

logger = logging.getLogger("inspection.transcription")

_LOOP = re.compile(r"(.{2,12}?)\1{3,}|(.)\2{5,}", re.DOTALL)
_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)
MAX_COMPRESSION_RATIO = 2.4
SILENCE_DBFS = -50.0
RELATIVE_SILENCE = 0.05


def bare_text(text: str) -> str:
    """Text with punctuation and spaces removed (for comparisons)."""
    return _NOT_TEXT.sub("", text)


def is_repetition_loop(text: str) -> bool:
    """A phrase repeated four times or more in a row, or text that compresses suspiciously well."""
    bare = bare_text(text)
    if _LOOP.search(bare):
        return True
    encoded = bare.encode("utf-8")
    return len(bare) >= 24 and len(encoded) / len(zlib.compress(encoded)) > MAX_COMPRESSION_RATIO


def is_prompt_echo(text: str, prompt: str | None) -> bool:
    """The segment only repeats the prompt (whisper's favourite hallucination in silence)."""
    bare, bare_prompt = bare_text(text), bare_text(prompt or "")
    return len(bare) >= 4 and bare in bare_prompt


def speech_level(samples: np.ndarray) -> float:
    """RMS of the loudest 10% of 100 ms frames: the level of speech in this channel."""
    frame = SAMPLE_RATE // 10
    usable = len(samples) // frame * frame
    if usable == 0:
        return float(np.sqrt(np.mean(np.square(samples)))) if len(samples) else 0.0
    rms = np.sqrt(np.mean(np.square(samples[:usable].reshape(-1, frame)), axis=1))
    return float(np.percentile(rms, 90))


def is_in_silence(segment: RecognisedSegment, samples: Samples, level: float) -> bool:
    """The audio under the segment's words is silence, absolutely or relative to the speech."""
    spans = [(w.start, w.end) for w in segment.words] or [(segment.start, segment.end)]
    pieces = [samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)] for start, end in spans]
    audio = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
    if audio.size == 0:
        return True
    rms = float(np.sqrt(np.mean(np.square(audio))))
    return rms < 10 ** (SILENCE_DBFS / 20) or rms < RELATIVE_SILENCE * level


def drop_hallucinations(
    segments: Sequence[RecognisedSegment],
    samples: Samples,
    *,
    prompt: str | None = None,
    level: float | None = None,
) -> list[RecognisedSegment]:
    """Keep the segments that are real speech; log why each dropped one went. `level` is the
    channel's `speech_level` when already known (a spooled channel measures it while decoded)."""
    if level is None:
        level = speech_level(samples[0 : len(samples)])
    duration = len(samples) / SAMPLE_RATE
    kept: list[RecognisedSegment] = []
    for segment in segments:
        reason = _drop_reason(segment, samples, level, duration, prompt)
        if reason:
            logger.info("dropped segment %.2f-%.2f %r: %s", segment.start, segment.end, segment.text, reason)
        else:
            kept.append(segment)
    return kept


def _drop_reason(
    segment: RecognisedSegment,
    samples: Samples,
    level: float,
    duration: float,
    prompt: str | None,
) -> str | None:
    if not bare_text(segment.text):
        return "no text"
    if segment.start >= duration - 0.05:
        return "after the end of the audio"
    if segment.no_speech_prob > 0.6 and segment.avg_logprob < -1.0:
        return "no speech"
    if is_repetition_loop(segment.text):
        return "repetition loop"
    if is_prompt_echo(segment.text, prompt):
        return "echo of the prompt"
    if is_in_silence(segment, samples, level):
        return "text in silence"
    return None
