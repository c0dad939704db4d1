"""Transcribe one call recording into a canonical `Conversation` with role-labelled utterances.

audio = decode_audio(path)                       # 16 kHz, one array per channel
segments = transcriber.recognise(channel)        # whisper + VAD + word timestamps + guards
utterances = merge_channels(...) | infer_roles(...)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from inspection.errors import AudioError, InvalidInputError
from inspection.transcription.audio import DecodedAudio, Samples
from inspection.transcription.beams import BeamSchedule
from inspection.transcription.decoders import (
    FULL_WINDOW_S,
    Decoder,
    FittedDecoder,
    PipelineDecoder,
    SequentialDecoder,
)
from inspection.transcription.guards import drop_hallucinations
from inspection.transcription.model import DEFAULT_PROMPT_CHARS, TranscriberOptions, load_whisper_model
from inspection.transcription.packing import PackedDecoder
from inspection.transcription.roles import (
    RoleHeuristic,
    channel_roles,
    infer_roles,
    merge_channels,
)
from inspection.transcription.segments import RecognisedSegment, split_at_pauses
from inspection.transcription.spool import ChannelFile, SpooledAudio, spool_audio
from inspection.transcription.vad import VadSettings, speech_regions
from inspection.types import Conversation

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

logger = logging.getLogger("inspection.transcription")

CPU_MIN_WINDOW_S = 22.0
_SAME_CHANNEL_TOLERANCE = 1e-3
_SILENT_CHANNEL_PEAK = 1e-3


def load_terms(path: Path | None = None) -> tuple[str, ...]:
    """Domain terms, one a line (`#` comments); the packaged finance list by default."""
    if path is None:
        text = resources.files(__package__).joinpath("finance_terms.txt").read_text("utf-8")
    else:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InvalidInputError(
                str(path), f"无法读取词表文件 (cannot read terms file: {error})"
            ) from error
    lines = (line.strip() for line in text.splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def terms_prompt(terms: Iterable[str], max_chars: int = DEFAULT_PROMPT_CHARS) -> str | None:
    """The hotwords prompt: terms joined by 、 and cut at whole terms to `max_chars`."""
    prompt = ""
    for term in terms:
        candidate = f"{prompt}、{term}" if prompt else term
        if len(candidate) > max_chars:
            break
        prompt = candidate
    return prompt or None


class Transcriber:
    """A loaded whisper model plus the settings to turn recordings into conversations."""

    def __init__(
        self,
        model: WhisperModel,
        options: TranscriberOptions,
        *,
        heuristic: RoleHeuristic | None = None,
        vad: VadSettings | None = None,
    ) -> None:
        self.model = model
        self.options = options
        self.heuristic = heuristic or RoleHeuristic()
        self.vad = vad or VadSettings()
        terms = load_terms(options.terms_file) if options.use_terms else ()
        self.prompt = terms_prompt(terms, options.max_prompt_chars)
        self.decoder = make_decoder(model, options, self._arguments())

    def transcribe(
        self,
        path: str | Path,
        *,
        conversation_id: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> Conversation:
        """Transcribe `path`; `AudioError` if it is unusable or holds no recognisable speech.

        The recording is decoded to a temporary directory (`spool`), so memory does not grow
        with its length; one longer than `max_duration_s` is refused from its header first."""
        path = Path(path)
        with spool_audio(path, max_duration_s=self.options.max_duration_s) as audio:
            speakers = speaker_channels(audio)
            if len(speakers) == 2:
                roles = channel_roles(self.options.agent_channel)
                utterances = merge_channels(zip(roles, self.recognise_channels(speakers), strict=True))
            else:
                utterances = infer_roles(self.recognise(speakers[0]), self.heuristic)
            duration = audio.duration
        if not utterances:
            raise AudioError(
                str(path), "未识别到语音 (no speech recognised): check that the file holds the call"
            )
        logger.info("transcribed %s: %d utterances", path, len(utterances))
        return Conversation(
            id=(conversation_id or path.stem or path.name)[:200],
            channel="voice",
            metadata={"audio_duration_s": round(duration, 3), **(metadata or {})},
            roles_inferred=len(speakers) == 1,
            audio_path=str(path),
            utterances=tuple(utterances),
        )

    def recognise(self, samples: Samples) -> list[RecognisedSegment]:
        """Whisper on the speech regions of one channel (word timestamps), minus hallucinations.

        Regions share 30 s windows (`packing`) or each gets its own (`decoders`); either way
        every word keeps the recording's time.
        """
        return self.recognise_channels([samples])[0]

    def recognise_channels(self, channels: Sequence[Samples]) -> list[list[RecognisedSegment]]:
        """`recognise` for each channel of one call; the packed decoder batches their windows
        together (a window holds one channel's speech only)."""
        regions = [speech_regions(samples, self.vad) for samples in channels]
        if isinstance(self.decoder, PackedDecoder):
            decoded = self.decoder.decode_channels(list(zip(channels, regions, strict=True)))
        else:
            decoded = [self.decoder.decode(s, r) for s, r in zip(channels, regions, strict=True)]
        pause = self.options.pause_split_s
        return [
            drop_hallucinations([part for seg in found for part in split_at_pauses(seg, pause)], samples,
                                prompt=self.prompt, level=_known_level(samples))
            for samples, found in zip(channels, decoded, strict=True)
        ]

    def _arguments(self) -> dict[str, Any]:
        return {
            "language": self.options.language,
            "beam_size": self.options.beam_size,
            "word_timestamps": True,
            "vad_filter": False,
            "condition_on_previous_text": False,
            "temperature": list(self.options.temperature),
            "hotwords": self.prompt,
        }


def make_decoder(model: WhisperModel, options: TranscriberOptions, arguments: dict[str, Any]) -> Decoder:
    """Sequential for batch 0; packed 30 s windows (default); else fitted windows below 30 s, or
    faster-whisper's own pipeline at 30 s."""
    if options.batch_size == 0:
        return SequentialDecoder(model, arguments=arguments)
    min_window_s = options.min_window_s
    if min_window_s is None:
        min_window_s = CPU_MIN_WINDOW_S if model.model.device == "cpu" else FULL_WINDOW_S
    batch_size = options.batch_size
    if not options.pack_regions and min_window_s >= FULL_WINDOW_S:
        return PipelineDecoder(model, arguments=arguments, batch_size=batch_size)
    fitted = FittedDecoder(model, arguments=arguments, batch_size=batch_size, min_window_s=min_window_s,
                           beams=beam_schedule(options))
    if not options.pack_regions:
        return fitted
    return PackedDecoder(fitted, batch_size=batch_size, limit_s=options.pack_limit_s,
                         gap_s=options.pack_gap_s, fit_windows=options.fit_pack_windows)


def beam_schedule(options: TranscriberOptions) -> BeamSchedule:
    return BeamSchedule(
        first=options.beam_size,
        retry=options.retry_beam_size,
        min_avg_logprob=options.retry_logprob,
        max_compression_ratio=options.retry_compression_ratio,
    )


def _known_level(samples: Samples) -> float | None:
    """A spooled channel's speech level, measured while it was decoded."""
    return samples.speech_level if isinstance(samples, ChannelFile) else None


def speaker_channels(audio: DecodedAudio | SpooledAudio) -> tuple[Samples, ...]:
    """Two channels when they carry two speakers; one when the file is mono in disguise."""
    if not audio.is_stereo:
        return audio.channels
    if audio.max_difference() < _SAME_CHANNEL_TOLERANCE:
        return (audio.channels[0],)
    peaks = audio.peaks()
    if min(peaks) < _SILENT_CHANNEL_PEAK:
        return (audio.channels[int(np.argmax(peaks))],)
    return audio.channels


def load_transcriber(
    options: TranscriberOptions | None = None, *, heuristic: RoleHeuristic | None = None
) -> Transcriber:
    """Load the whisper model once; raises `ModelLoadError` saying what to do when it cannot."""
    options = options or TranscriberOptions()
    return Transcriber(load_whisper_model(options), options, heuristic=heuristic)
