"""One demo conversation: a queue's greeting, a scenario and a closing, with the agent's slips
worked in, timed like a call (seconds of speech, the agent's reply delay, holds) or a chat
(messages seconds apart), as canonical conversation JSON.

Deterministic: every choice comes from the `Random` passed in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from random import Random
from typing import Any

from coaching.demo.lines import (
    BAD_HOLD,
    FAULT_TEXTS,
    GOOD_HOLD,
    RECORDING_NOTICES,
    Queue,
    Scenario,
)
from coaching.demo.roster import DemoAgent, Profile

SURNAMES = ("张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯"
            "邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢")
DIGITS = "零一二三四五六七八九"
AMOUNTS = ("三千二百六十", "一千八百五十", "五千四百", "八千二百", "两千七百三十", "六千一百二十",
           "四千零八十", "九千六百")
LIMITS = ("两万", "三万五千", "五万", "四万")
HOLD_SECONDS = {"bad": (24.0, 32.0), "good": (10.0, 19.0)}


@dataclass(frozen=True)
class CallPlan:
    """What one conversation is: who, when, which scenario and which slips."""

    conversation_id: str
    agent: DemoAgent
    queue: Queue
    scenario: Scenario
    started_at: datetime
    faults: frozenset[str] = frozenset()
    veto: bool = False  # a promise of guaranteed returns instead of the risk statement
    good_hold: bool = False  # the agent asks the customer to wait before looking up
    ticket_id: str | None = None


@dataclass(frozen=True)
class Said:
    role: str
    text: str
    hold: float = 0.0  # silence before this turn


def build_conversation(plan: CallPlan, rng: Random) -> dict[str, Any]:
    """The plan as canonical conversation JSON (the README's format)."""
    lines = [replace(said, text=said.text.format(**_values(plan, rng)))
             for said in script(plan, rng)]
    timed = (chat_times if plan.queue.channel == "chat" else voice_times)(
        lines, plan.agent.profile, rng)
    metadata = {**plan.queue.metadata, "team": plan.agent.team_id}
    if plan.ticket_id:
        metadata["ticket_id"] = plan.ticket_id
    return {"id": plan.conversation_id, "channel": plan.queue.channel,
            "direction": plan.queue.direction, "industry": plan.queue.industry,
            "agent_id": plan.agent.id, "started_at": plan.started_at.isoformat(),
            "metadata": metadata, "utterances": timed}


def script(plan: CallPlan, rng: Random) -> list[Said]:
    """Greeting, body and closing with the slips applied (texts not yet filled in)."""
    faults, queue = plan.faults, plan.queue
    opening = [Said(*line) for line in rng.choice(queue.greetings)]
    if "no_greeting" in faults:
        opening = [Said(*FAULT_TEXTS["no_greeting"][0]) if s.role == "agent" else s
                   for s in opening]
    elif "no_recording_notice" in faults:
        opening = [replace(s, text=_without_notice(s.text)) for s in opening]
    body = _body(plan, rng)
    if "no_closing" in faults:
        closing = [Said(*line) for line in FAULT_TEXTS["no_closing"]]
    else:
        closing = [Said(*line) for line in rng.choice(queue.closings)]
    return opening + body + closing


def _body(plan: CallPlan, rng: Random) -> list[Said]:
    faults = plan.faults
    body: list[Said] = []
    answered: int | None = None  # where the agent's first real answer ends
    for role, text in plan.scenario.turns:
        if role == "id":
            if "no_identity_check" not in faults:
                body.extend(Said(*line) for line in plan.queue.identity)
        elif role == "risk":
            if plan.veto:
                body.append(Said(*FAULT_TEXTS["guaranteed_return"][0]))
            elif "no_risk_disclosure" not in faults:
                body.append(Said("agent", text))
        elif role == "lookup":
            body.extend(_lookup(text, plan, rng))
            answered = len(body) if answered is None else answered
        else:
            body.append(Said(role, text))
    _insert_after_answer(body, faults, answered)
    if "forbidden_phrase" in faults and plan.scenario.aside:
        brush_off = "forbidden_phrase_chat" if plan.queue.channel == "chat" else "forbidden_phrase"
        body += [Said(*plan.scenario.aside), Said(*FAULT_TEXTS[brush_off][0])]
    if "complaint" in faults:
        body += [Said(*line) for line in FAULT_TEXTS["complaint"]]
    return body


def _lookup(text: str, plan: CallPlan, rng: Random) -> list[Said]:
    """The answer after a look-up, with the hold before it on a call."""
    if plan.queue.channel != "voice":
        return [Said("agent", text)]
    if "hold_silence" in plan.faults:
        return [Said(*BAD_HOLD), Said("agent", text, hold=rng.uniform(*HOLD_SECONDS["bad"]))]
    if plan.good_hold:
        return [Said(*GOOD_HOLD), Said("agent", text, hold=rng.uniform(*HOLD_SECONDS["good"]))]
    return [Said("agent", text)]


def _insert_after_answer(body: list[Said], faults: frozenset[str], answered: int | None) -> None:
    """Impatience and unanswered anger come after the agent's first answer (the look-up, else
    the agent's first turn)."""
    if answered is None:
        answered = next((i + 1 for i, said in enumerate(body) if said.role == "agent"), len(body))
    for fault in ("impatience", "no_empathy"):
        if fault in faults:
            body[answered:answered] = [Said(*line) for line in FAULT_TEXTS[fault]]


def _without_notice(text: str) -> str:
    for notice in RECORDING_NOTICES:
        text = text.replace(notice, "")
    return text


def _values(plan: CallPlan, rng: Random) -> dict[str, str]:
    surname = plan.agent.name[0]
    return {"job": plan.agent.job_number, "nick": f"小{surname}", "surname": surname,
            "cust": rng.choice(SURNAMES) + rng.choice(("先生", "女士")),
            "id4": "".join(rng.choice(DIGITS) for _ in range(4)),
            "amount": rng.choice(AMOUNTS), "limit": rng.choice(LIMITS),
            "order": f"JF{rng.randint(10_000_000, 99_999_999)}"}


def voice_times(lines: list[Said], profile: Profile, rng: Random) -> list[dict[str, Any]]:
    """Utterances spoken at 4–4.8 characters a second; the agent answers the customer after
    the profile's reply delay; a hold is silence before the turn."""
    utterances: list[dict[str, Any]] = []
    clock = rng.uniform(0.3, 0.9)
    for index, said in enumerate(lines):
        if index:
            clock += _gap(lines[index - 1].role, said.role, rng, agent=profile.reply_seconds,
                          customer=(0.4, 1.2), same=(0.3, 0.7)) + said.hold
        duration = max(0.8, len(said.text) / rng.uniform(4.0, 4.8))
        utterances.append({"role": said.role, "start": round(clock, 1),
                           "end": round(clock + duration, 1), "text": said.text})
        clock = round(clock + duration, 1)
    return utterances


def chat_times(lines: list[Said], profile: Profile, rng: Random) -> list[dict[str, Any]]:
    """Messages at whole seconds: the agent answers after the profile's chat delay, the
    customer types for 8–45 s."""
    utterances: list[dict[str, Any]] = []
    clock = 0.0
    for index, said in enumerate(lines):
        if index:
            clock += round(_gap(lines[index - 1].role, said.role, rng,
                                agent=profile.chat_reply_seconds, customer=(8.0, 45.0),
                                same=(3.0, 10.0)))
        utterances.append({"role": said.role, "start": clock, "end": clock, "text": said.text})
    return utterances


def _gap(before: str, role: str, rng: Random, *, agent: tuple[float, float],
         customer: tuple[float, float], same: tuple[float, float]) -> float:
    """Seconds between two turns: the agent's reply delay, the customer's, or one speaker
    going on."""
    if role == before:
        return rng.uniform(*same)
    return rng.uniform(*(agent if role == "agent" else customer))
