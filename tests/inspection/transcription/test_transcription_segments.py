"""Hallucination guards, pause splitting, and role assignment (stereo and the mono heuristic)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from inspection.transcription.audio import DecodedAudio
from inspection.transcription.guards import drop_hallucinations, is_repetition_loop
from inspection.transcription.roles import (
    RoleHeuristic,
    channel_roles,
    infer_roles,
    merge_channels,
)
from inspection.transcription.segments import (
    RecognisedSegment,
    from_whisper,
    join_words,
    split_at_pauses,
)
from inspection.transcription.transcribe import load_terms, speaker_channels, terms_prompt
from inspection.transcription.vad import merge_regions
from inspection.types import Word

RATE = 16_000


def segment(text: str, start: float, end: float, probability: float = 0.9) -> RecognisedSegment:
    step = (end - start) / max(1, len(text))
    words = tuple(
        Word(text=char, start=start + i * step, end=start + (i + 1) * step, probability=probability)
        for i, char in enumerate(text)
    )
    return RecognisedSegment(start, end, text, words, probability)


def speech_between(*spans: tuple[float, float], seconds: float = 10.0) -> np.ndarray:
    """Noise at speech level inside `spans`, digital silence elsewhere."""
    audio = np.zeros(int(seconds * RATE), dtype=np.float32)
    rng = np.random.default_rng(0)
    for start, end in spans:
        audio[int(start * RATE) : int(end * RATE)] = rng.normal(0, 0.1, int((end - start) * RATE))
    return audio


@pytest.mark.parametrize(("text", "loop"), [
    ("谢谢谢谢谢谢谢谢谢谢", True),
    ("好的好的好的好的好的", True),
    ("收益、肥肚肚肚肚肚肚肚肚肚肚肚肚", True),
    ("对对对，是的", False),
    ("好的好的，我帮您查一下", False),
    ("您好，这里是信用卡中心，工号八零二七，请问有什么可以帮您", False),
])
def test_repetition_loops(text: str, loop: bool) -> None:
    assert is_repetition_loop(text) is loop


def test_guards_drop_silence_prompt_echo_and_loops() -> None:
    audio = speech_between((1.0, 3.0), (4.0, 6.0))
    segments = [
        segment("我想查一下账单", 1.0, 3.0),
        segment("我想查一下账单", 3.2, 3.9),   # same words again, in the quiet
        segment("信用卡、账单、分期", 4.0, 6.0),  # the prompt, not speech
        segment("好的好的好的好的好的", 4.0, 6.0),
        segment("请点赞订阅转发", 7.0, 9.0),     # text in silence
        segment("谢谢", 9.99, 10.5),             # after the end
    ]
    kept = drop_hallucinations(segments, audio, prompt="信用卡、账单、分期、还款")
    assert [s.text for s in kept] == ["我想查一下账单"]


def test_quiet_but_real_speech_is_kept() -> None:
    audio = speech_between((1.0, 3.0)) * 0.05  # a quiet line, about -46 dBFS
    assert len(drop_hallucinations([segment("您好请讲", 1.0, 3.0)], audio)) == 1


def test_split_at_pauses_makes_one_segment_per_turn() -> None:
    words = (Word(text="好的", start=0.0, end=0.5, probability=0.8),
             Word(text="。", start=0.5, end=0.5, probability=1.0),
             Word(text="请", start=3.0, end=3.2, probability=0.6),
             Word(text="稍等", start=3.2, end=3.6, probability=0.6))
    whole = RecognisedSegment(0.0, 3.6, "好的。请稍等", words, 0.7)
    parts = list(split_at_pauses(whole, 1.0))
    assert [(p.text, p.start, p.end) for p in parts] == [("好的。", 0.0, 0.5), ("请稍等", 3.0, 3.6)]
    assert parts[1].confidence == pytest.approx(0.6)
    assert list(split_at_pauses(whole, 5.0)) == [whole]


def test_join_words_spaces_latin_words_only() -> None:
    assert join_words(["我的", "VIP", "card", "到期", "了"]) == "我的VIP card到期了"


def test_from_whisper_simplifies_and_takes_confidence_from_words() -> None:
    raw = SimpleNamespace(
        start=0.0, end=2.0, text=" 每一天都要快樂喔", avg_logprob=-0.3, no_speech_prob=0.01,
        words=[SimpleNamespace(word=w, start=s, end=s + 0.2, probability=p)
               for w, s, p in [("每", 0.1, 1.0), ("一天", 0.3, 0.9), ("快樂", 0.6, 0.5)]],
    )
    result = from_whisper(raw)
    assert result.text == "每一天都要快乐喔"
    assert [w.text for w in result.words] == ["每", "一天", "快乐"]
    assert (result.start, result.end, result.confidence) == (0.1, 0.8, 0.8)


def test_stereo_roles_follow_the_agent_channel() -> None:
    assert channel_roles("left") == ("agent", "customer")
    assert channel_roles("right") == ("customer", "agent")
    merged = merge_channels([("agent", [segment("您好", 0.5, 1.0), segment("好的", 5.0, 6.0)]),
                             ("customer", [segment("喂", 2.0, 3.0)])])
    assert [(u.role, u.text) for u in merged] == [
        ("agent", "您好"), ("customer", "喂"), ("agent", "好的")]


def test_mono_heuristic_uses_cues_questions_and_pauses() -> None:
    segments = [
        segment("您好，这里是信用卡中心，工号8027，请问有什么可以帮您？", 0.0, 4.0),
        segment("查一下这个月的账单", 4.5, 6.0),   # answers a question → the other speaker
        segment("就是上个月那笔", 6.2, 7.0),        # no cue, no pause → same speaker
        segment("好的请稍等", 7.5, 8.5),            # agent cue
        segment("嗯", 11.0, 11.3),                  # after a long pause → the other speaker
    ]
    roles = [u.role for u in infer_roles(segments)]
    assert roles == ["agent", "customer", "customer", "agent", "customer"]
    assert infer_roles(segments[2:3], RoleHeuristic(first_speaker="customer"))[0].role == "customer"


def test_finance_terms_make_a_short_prompt() -> None:
    terms = load_terms()
    assert "信用卡" in terms and not any(t.startswith("#") for t in terms)
    prompt = terms_prompt(terms)
    assert prompt is not None and prompt.startswith("信用卡、账单") and len(prompt) <= 36
    assert terms_prompt(terms, 7) == "信用卡、账单"  # cut at whole terms
    assert terms_prompt(terms, 0) is None and terms_prompt([]) is None


def test_nearby_speech_regions_merge_up_to_the_clip_limit() -> None:
    regions = [(0.0, 2.0), (2.5, 5.0), (8.0, 9.0), (9.5, 37.0)]
    assert merge_regions(regions, 1.5) == [(0.0, 5.0), (8.0, 9.0), (9.5, 37.0)]


def test_stereo_with_identical_or_one_silent_channel_is_mono() -> None:
    voice = np.sin(np.linspace(0, 2000, RATE)).astype(np.float32) * 0.3
    silent = np.zeros_like(voice)
    two = DecodedAudio(channels=(voice, voice[::-1].copy()), source_rate=RATE, source_channels=2)
    same = DecodedAudio(channels=(voice, voice.copy()), source_rate=RATE, source_channels=2)
    one_silent = DecodedAudio(channels=(silent, voice), source_rate=RATE, source_channels=2)
    assert len(speaker_channels(two)) == 2
    assert len(speaker_channels(same)) == 1
    assert speaker_channels(one_silent)[0] is voice
