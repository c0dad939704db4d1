"""ASR benchmark: real-time factor, memory peak and character error rate of the transcriber.

    .venv/bin/python bench/asr.py                      # every mode, real clips + the 5-minute calls
    .venv/bin/python bench/asr.py --modes int8-batched --call-minutes 1

Files: the two real clips of ../shared/data/speech/ (CER against their references); a synthesised
5-minute stereo call (espeak-ng Mandarin, a different sentence each turn, agent left, customer
right: timing and structure only, whisper-base mishears espeak, so no CER); and a 5-minute call
of the two real clips repeated (CER by role, and the worst case for packing: whisper skips a
repeated turn in a shared window and it is decoded again alone).

Modes: int8 / float32 × batched (the default decoder: a channel's speech regions packed into
shared 30 s windows, four windows per encoder call) / sequential (batch 0: faster-whisper's
classic decoder, one 30 s window per region, temperature fallback); int8-unpacked is the previous
default (each region in its own window fitted to it, at least 22 s), int8-fitted has no floor
(tightest windows), int8-full-window is faster-whisper's own batched pipeline (one 30 s window per
region). Each mode runs in its own process so its memory peak (max RSS) is its own. RTF =
processing seconds / audio seconds (model load excluded). CER: punctuation and spaces removed,
traditional converted to simplified. Figures: docs/transcription.md (Performance).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from inspection.transcription import TranscriberOptions, load_transcriber
from inspection.transcription.evaluation import character_error_rate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synth_call import synthesise_call, turns_found, write_stereo_wav

logger = logging.getLogger("bench.asr")

REPO = Path(__file__).resolve().parents[1]
SPEECH_DIR = REPO.parent / "shared" / "data" / "speech"
MODES: dict[str, dict[str, Any]] = {
    "int8-batched": {"compute_type": "int8", "batch_size": 4},
    "int8-unpacked": {"compute_type": "int8", "batch_size": 4, "pack_regions": False},
    "int8-fitted": {"compute_type": "int8", "batch_size": 4, "pack_regions": False, "min_window_s": 0.0},
    "int8-full-window": {"compute_type": "int8", "batch_size": 4, "pack_regions": False,
                         "min_window_s": 30.0},
    "float32-batched": {"compute_type": "float32", "batch_size": 4},
    "int8-sequential": {"compute_type": "int8", "batch_size": 0},
    "float32-sequential": {"compute_type": "float32", "batch_size": 0},
}
_NOT_TEXT = re.compile(r"[\W_]+")


def references(speech_dir: Path) -> dict[str, str]:
    """`| file.wav | seconds | transcript |` rows of the speech README."""
    rows = re.findall(r"^\|\s*(\S+\.wav)\s*\|[^|]*\|\s*([^|]+?)\s*\|", (speech_dir / "README.md")
                      .read_text(encoding="utf-8"), flags=re.MULTILINE)
    return dict(rows)


def _clip(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as handle:
        return np.frombuffer(handle.readframes(handle.getnframes()), "<i2").astype(np.float32)


def compose_call(speech_dir: Path, minutes: float, path: Path) -> dict[str, str]:
    """A stereo call of real speech repeated to `minutes`: the agent (left) says the welcome
    clip, the customer (right) answers with the happy clip; every other turn the customer
    starts 0.8 s before the agent has finished (overtalk). Returns reference text by role."""
    welcome, happy = _clip(speech_dir / "zh_welcome.wav"), _clip(speech_dir / "zh_happy.wav")
    rate, total = 16_000, int(minutes * 60 * 16_000)
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
    write_stereo_wav(path, left, right, rate)
    return texts


def run_mode(mode: str, threads: int, files: list[tuple[Path, dict[str, str]]]) -> dict[str, Any]:
    """Transcribe every file in one mode; returns timings, CER and the memory peak."""
    options = TranscriberOptions(device="cpu", cpu_threads=threads, **MODES[mode])
    started = time.perf_counter()
    transcriber = load_transcriber(options)
    result: dict[str, Any] = {"mode": mode, "load_s": time.perf_counter() - started, "files": []}
    for path, reference in files:
        started = time.perf_counter()
        conversation = transcriber.transcribe(path)
        elapsed = time.perf_counter() - started
        duration = float(conversation.metadata["audio_duration_s"])
        by_role = {role: "".join(u.text for u in conversation.utterances if u.role == role)
                   for role in ("agent", "customer")}
        if conversation.roles_inferred:
            by_role = {"any": "".join(by_role.values())}
        result["files"].append({
            "file": path.name, "seconds": duration, "elapsed": elapsed, "rtf": elapsed / duration,
            "cer": {role: character_error_rate(reference[role], by_role[role]) for role in reference},
            "reference_chars": sum(len(_NOT_TEXT.sub("", text)) for text in reference.values()),
            "utterances": len(conversation.utterances), "text": by_role,
            "turns_found": _turns_found(path, conversation),
        })
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _turns_found(path: Path, conversation: Any) -> float | None:
    turns_file = path.with_suffix(".turns.json")
    if not turns_file.exists():
        return None
    spoken = [(u.role, u.start, u.end) for u in conversation.utterances]
    return turns_found([tuple(turn) for turn in json.loads(turns_file.read_text())], spoken)


def _write(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def print_report(results: list[dict[str, Any]]) -> None:
    _write(f"{'mode':<20}{'file':<16}{'audio s':>8}{'proc s':>8}{'RTF':>7}  CER")
    for result in results:
        for item in result["files"]:
            cers = " ".join(f"{role}={value:.1%}" for role, value in item["cer"].items()) or (
                f"synthetic: {item['turns_found']:.0%} of turns found, {item['utterances']} utterances")
            _write(f"{result['mode']:<20}{item['file']:<16}{item['seconds']:>8.1f}"
                  f"{item['elapsed']:>8.2f}{item['rtf']:>7.3f}  {cers}")
        clips = [item for item in result["files"] if "any" in item["cer"]]
        pooled = sum(item["cer"]["any"] * item["reference_chars"] for item in clips) / max(
            1, sum(item["reference_chars"] for item in clips)
        )
        _write(f"{result['mode']:<20}{'real clips CER (pooled over characters)':<47}{pooled:.1%}")
        audio = sum(item["seconds"] for item in result["files"])
        elapsed = sum(item["elapsed"] for item in result["files"])
        _write(f"{result['mode']:<20}{'ALL':<16}{audio:>8.1f}{elapsed:>8.2f}{elapsed / audio:>7.3f}"
              f"  load {result['load_s']:.1f} s, memory peak {result['max_rss_mb']:.0f} MB\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speech-dir", type=Path, default=SPEECH_DIR)
    parser.add_argument("--modes", nargs="+", choices=sorted(MODES), default=list(MODES))
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (this box: 2 cores)")
    parser.add_argument("--call-minutes", type=float, default=5.0, help="0 skips the long call")
    parser.add_argument("--one-mode", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    refs = references(args.speech_dir)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="zhijian-asr-"))
    workdir.mkdir(parents=True, exist_ok=True)
    files = [(args.speech_dir / name, {"any": text}) for name, text in refs.items()]
    if args.call_minutes > 0:
        synthetic = workdir / f"synth_{args.call_minutes:g}min.wav"
        turns_file = synthetic.with_suffix(".turns.json")
        if not turns_file.exists():
            turns_file.write_text(json.dumps(synthesise_call(synthetic, args.call_minutes)))
        files.append((synthetic, {}))
        call = workdir / f"real_{args.call_minutes:g}min.wav"
        files.append((call, compose_call(args.speech_dir, args.call_minutes, call)))
    if args.one_mode:
        _write(json.dumps(run_mode(args.one_mode, args.threads, files), ensure_ascii=False))
        return 0
    results = []
    for mode in args.modes:
        command = [sys.executable, __file__, "--one-mode", mode, "--threads", str(args.threads),
                   "--call-minutes", str(args.call_minutes), "--speech-dir", str(args.speech_dir),
                   "--workdir", str(workdir)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
        print_report(results[-1:])
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
