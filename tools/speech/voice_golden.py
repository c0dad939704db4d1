"""The voice subset of the golden set: labelled conversations synthesised as telephone calls, so
that `zhijian rules eval GOLDEN --audio DIR` measures the rules through speech recognition.

    tools/speech/.venv/bin/python tools/speech/voice_golden.py tests/golden/dev tests/golden/test \
        --out tests/fixtures/voice_golden            # select, then write <id>.opus for each
    tools/speech/.venv/bin/python tools/speech/voice_golden.py tests/golden/dev --list

The subset is chosen from the labels alone, never from how the rules or the recogniser do on it
(the test half may be measured, never tuned on), separately in each folder given:

- candidates: voice conversations (`channel: voice`) whose text the voice can read (no Latin
  letters) and that last at most `MAX_SECONDS`;
- greedy cover: repeatedly the candidate with the most positive labels (`true`) for rules that
  still have fewer than `POSITIVES_PER_RULE` positives in the subset; ties to the shorter call,
  then the id; until no candidate adds one;
- then the `CLEAN` shortest conversations with no positive label (every label a negative).

Each call: agent left, customer right, 8 kHz Ogg/Opus (synth_call.py with `--make-room`: the
golden set's times are tight for the voice). No reference `.json` is written: the golden file
itself is the reference, and the evaluation reads the labels from it.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger("speech.voice_golden")

MAX_SECONDS = 80.0
POSITIVES_PER_RULE = 3
CLEAN = 3
SUFFIX = ".opus"
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class Candidate:
    """One golden conversation that can be spoken: its id, file, length and positive labels."""

    id: str
    path: Path
    seconds: float
    positives: frozenset[str]
    data: dict[str, Any]


def candidates(folder: Path) -> list[Candidate]:
    """The voice conversations of `folder` the voice can read, at most `MAX_SECONDS` long."""
    found = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        utterances = data.get("utterances") or []
        if data.get("channel") != "voice" or not utterances:
            continue
        if any(_LATIN.search(u["text"]) for u in utterances):
            continue
        seconds = max(float(u["end"]) for u in utterances)
        if seconds <= MAX_SECONDS:
            positives = frozenset(rule for rule, value in data["labels"].items() if value)
            found.append(Candidate(data["id"], path, seconds, positives, data))
    return found


def select(pool: list[Candidate]) -> list[Candidate]:
    """Greedy cover of every rule's positives, then the shortest clean conversations."""
    chosen: list[Candidate] = []
    counts: dict[str, int] = {}
    while True:
        def gain(candidate: Candidate) -> int:
            return sum(counts.get(rule, 0) < POSITIVES_PER_RULE for rule in candidate.positives)

        left = [c for c in pool if c not in chosen and gain(c) > 0]
        if not left:
            break
        best = min(left, key=lambda c: (-gain(c), c.seconds, c.id))
        chosen.append(best)
        for rule in best.positives:
            counts[rule] = counts.get(rule, 0) + 1
    clean = sorted((c for c in pool if not c.positives), key=lambda c: (c.seconds, c.id))
    return sorted(chosen + clean[:CLEAN], key=lambda c: c.id)


def describe(subset: list[Candidate]) -> str:
    """One line per conversation, then the positives per rule."""
    lines = [f"{c.id}  {c.seconds:5.0f} s  {', '.join(sorted(c.positives)) or '(clean)'}" for c in subset]
    rules = sorted({rule for c in subset for rule in c.positives})
    lines.append(f"{len(subset)} conversations, {sum(c.seconds for c in subset) / 60:.1f} min; positives: "
                 + ", ".join(f"{rule} {sum(rule in c.positives for c in subset)}" for rule in rules))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="金标会话的语音子集：选出并合成为电话录音（Opus）")
    parser.add_argument("golden", type=Path, nargs="+", help="金标目录（每个目录各自选取）")
    parser.add_argument("--out", type=Path, help="输出目录：<id>.opus")
    parser.add_argument("--list", action="store_true", help="只列出选中的会话，不合成")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    subset = []
    for folder in args.golden:
        chosen = select(candidates(folder))
        logger.info("%s:\n%s", folder, describe(chosen))
        subset += chosen
    if args.list:
        return
    if args.out is None:
        parser.error("需要 --out DIR（或 --list）")
    synthesise_all(subset, args.out)


def synthesise_all(subset: list[Candidate], out: Path) -> None:
    from synth_call import synthesise  # the tool environment (TensorFlow) only when synthesising
    from voice import Voice

    out.mkdir(parents=True, exist_ok=True)
    voice = Voice()
    for candidate in subset:
        began = time.perf_counter()
        output = out / f"{candidate.id}{SUFFIX}"
        seconds = synthesise(candidate.data, output, voice, make_room=True, write_reference=False)
        logger.info("%s: %.1f s of call (written %.1f s) in %.1f s, %d KB", output, seconds,
                    candidate.seconds, time.perf_counter() - began, output.stat().st_size // 1024)


if __name__ == "__main__":
    main()
