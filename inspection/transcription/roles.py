"""Who said it: channel = speaker for stereo calls, a configurable heuristic for mono ones.

Stereo call-centre recordings put the agent on one channel and the customer on the other, so
the role is certain. Mono recordings are transcribed once and each utterance gets a role from
cues (the agent greets, self-identifies, says 请稍等; the customer says 我想/我的/投诉), from who
answers a question, and from pauses; the conversation is then marked `roles_inferred`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from inspection.transcription.segments import RecognisedSegment
from inspection.types import Role, Utterance

AGENT_CUES: tuple[str, ...] = (
    "您好",
    "这里是",
    "工号",
    "客服",
    "很高兴为您服务",
    "有什么可以帮",
    "请问您",
    "为您",
    "请稍等",
    "稍等一下",
    "感谢您的来电",
    "感谢您的耐心",
    "祝您",
    "请您",
    "核实一下",
    "您的",
    "温馨提示",
    "本次通话",
    "录音",
    "还有其他",
    "给您带来不便",
)
CUSTOMER_CUES: tuple[str, ...] = (
    "我想",
    "我要",
    "我的",
    "帮我",
    "我这个",
    "为什么",
    "怎么回事",
    "投诉",
    "你们",
    "我不",
    "我没",
    "我刚",
    "我是说",
)
QUESTION_ENDINGS = ("？", "?", "吗", "呢")


@dataclass(frozen=True)
class RoleHeuristic:
    """Settings of the mono role heuristic; every field can come from configuration."""

    agent_cues: tuple[str, ...] = AGENT_CUES
    customer_cues: tuple[str, ...] = CUSTOMER_CUES
    first_speaker: Role = "agent"
    turn_gap_s: float = 1.5

    def cue_score(self, text: str) -> int:
        """Positive: sounds like the agent; negative: like the customer; zero: no idea."""
        agent = sum(cue in text for cue in self.agent_cues)
        customer = sum(cue in text for cue in self.customer_cues)
        return agent - customer


def to_utterance(segment: RecognisedSegment, role: Role) -> Utterance:
    return Utterance(
        role=role,
        start=segment.start,
        end=segment.end,
        text=segment.text,
        confidence=segment.confidence,
        words=segment.words,
    )


def channel_roles(agent_channel: str) -> tuple[Role, Role]:
    """Roles of (left, right) when the agent is on `agent_channel`."""
    return ("agent", "customer") if agent_channel == "left" else ("customer", "agent")


def merge_channels(
    per_channel: Iterable[tuple[Role, Sequence[RecognisedSegment]]],
) -> list[Utterance]:
    """Stereo: every segment takes its channel's role; utterances sorted by start time."""
    utterances = [to_utterance(s, role) for role, segments in per_channel for s in segments]
    return sorted(utterances, key=lambda u: (u.start, u.end))


def infer_roles(
    segments: Sequence[RecognisedSegment], heuristic: RoleHeuristic | None = None
) -> list[Utterance]:
    """Mono: give each segment the most likely role (see the module docstring)."""
    heuristic = heuristic or RoleHeuristic()
    utterances: list[Utterance] = []
    for segment in segments:
        previous = utterances[-1] if utterances else None
        utterances.append(to_utterance(segment, _guess(segment, previous, heuristic)))
    return utterances


def _guess(segment: RecognisedSegment, previous: Utterance | None, heuristic: RoleHeuristic) -> Role:
    score = heuristic.cue_score(segment.text)
    if score > 0:
        return "agent"
    if score < 0:
        return "customer"
    if previous is None:
        return heuristic.first_speaker
    other: Role = "customer" if previous.role == "agent" else "agent"
    if previous.text.rstrip("。，,. ").endswith(QUESTION_ENDINGS):
        return other
    if segment.start - previous.end >= heuristic.turn_gap_s:
        return other
    return previous.role
