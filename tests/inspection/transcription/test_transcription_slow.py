"""The real embedded whisper-base on real speech (CPU, int8). Few tests: each clip costs seconds."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pytest

from inspection.errors import AudioError
from inspection.text import to_pinyin
from inspection.transcription import Transcriber
from inspection.transcription.evaluation import character_error_rate as cer
from inspection.types import Conversation
from tests.inspection.transcription.audio_builders import (
    HAPPY,
    WELCOME,
    ComposedCall,
    compose_call,
    read_clip,
    resample,
    write_wav,
)
from zhijian.cli import main

pytestmark = pytest.mark.slow

# CTranslate2's int8 kernels differ by CPU instruction set, and whisper-base's reading of the
# welcome clip with them (measured on one AMD EPYC: AVX2 大魔院, AVX-512 语音识别 → 云食别,
# generic exact; with fitted windows, the default since 2026-12-05, generic reads 银食别 at 8 kHz).
# One misheard word is 2-3 of its 19 characters.
ONE_MISHEARD_WORD = 3 / 19


def test_cli_transcribes_a_real_clip_within_the_cer_target(
    capsys: pytest.CaptureFixture[str], speech_dir: Path, cache_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    code = main(["transcribe", str(speech_dir / "zh_welcome.wav"), "--format", "json",
                 "--device", "cpu"])
    record = json.loads(capsys.readouterr().out)
    assert code == 0 and record["channel"] == "voice" and record["roles_inferred"] is True
    text = "".join(u["text"] for u in record["utterances"])
    assert cer(WELCOME, text) <= ONE_MISHEARD_WORD, text


def test_stereo_call_puts_each_clip_under_its_role_at_its_time(
    stereo_conversation: Conversation, stereo_call: ComposedCall
) -> None:
    conversation = stereo_conversation
    assert conversation.roles_inferred is False and conversation.audio_path == str(stereo_call.path)
    utterances = conversation.utterances
    assert [u.role for u in utterances] == [p.role for p in stereo_call.placements], utterances
    for utterance, placement in zip(utterances, stereo_call.placements, strict=True):
        assert placement.at <= utterance.start <= placement.at + 1.0, (utterance, placement)
        # whisper-base's reading of a clip changes by a character or three with what else is in
        # its window (语音识别 → 云十别); the other clip's text would be ~100 % off
        assert cer(placement.text, utterance.text) <= 0.25, (utterance.text, placement.text)
        assert 0.5 < utterance.confidence <= 1.0 and utterance.words
        assert utterance.words[0].start == utterance.start
    # nothing was invented in the 25 s of silence, and the overlap kept both speakers
    assert not [u for u in utterances if 12.0 < u.start < 33.0]
    agent_second, customer_second = utterances[2], utterances[3]
    assert customer_second.start < agent_second.end


def test_8k_telephone_clip(transcriber: Transcriber, speech_dir: Path, tmp_path: Path) -> None:
    clip = resample(read_clip(speech_dir / "zh_welcome.wav"), 8000)
    conversation = transcriber.transcribe(write_wav(tmp_path / "tel.wav", [clip], rate=8000))
    text = "".join(u.text for u in conversation.utterances)
    assert cer(WELCOME, text) <= ONE_MISHEARD_WORD, text


def test_mono_mix_infers_roles_and_says_so(
    transcriber: Transcriber, speech_dir: Path, tmp_path: Path
) -> None:
    call = compose_call(speech_dir, tmp_path / "mono.wav", mono=True)
    conversation = transcriber.transcribe(call.path, conversation_id="c-1", metadata={"queue": "x"})
    assert conversation.roles_inferred is True and conversation.id == "c-1"
    assert conversation.metadata["queue"] == "x"
    assert conversation.utterances[0].role == "agent"
    text = "".join(u.text for u in conversation.utterances)
    assert cer(WELCOME + HAPPY + WELCOME, text) <= 0.35, text  # the overlap is one mixed channel


def test_silence_only_is_an_error_not_an_invented_text(
    transcriber: Transcriber, tmp_path: Path
) -> None:
    import numpy as np

    path = write_wav(tmp_path / "silence.wav", [np.zeros(16000 * 5, dtype=np.float32)])
    with pytest.raises(AudioError, match="no speech recognised"):
        transcriber.transcribe(path)


RULE_PACK = textwrap.dedent("""\
    pack: asr_test
    description: 测试规则：坐席提到“达摩院”
    rules:
      - id: test.damo_mention
        version: 1
        name: 提到达摩院
        description: 坐席提到达摩院（仅用于测试录音质检）。
        category: process
        severity: minor
        deduction: 1
        role: agent
        type: keyword
        keywords: [达摩院]
        examples:
          hit: [欢迎体验达摩院推出的模型]
          miss: [欢迎体验我们的模型]
    """)


def test_inspect_a_call_recording_with_evidence_at_the_right_time(
    capsys: pytest.CaptureFixture[str], stereo_call: ComposedCall, cache_home: Path,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "asr_test.yaml").write_text(RULE_PACK, encoding="utf-8")
    code = main(["inspect", str(stereo_call.path), "--rules", str(tmp_path / "rules"),
                 "--format", "json", "--no-sentiment"])
    out = capsys.readouterr().out
    assert code == 0, out
    findings = json.loads(out.splitlines()[-1])["findings"]
    hits = [f for f in findings if f["rule_id"] == "test.damo_mention"]
    assert hits, findings
    evidence = hits[0]["evidence"]
    # The rule matches by pinyin on voice calls: whisper may write a homophone (达摩愿, 大魔院).
    assert evidence["role"] == "agent" and "damoyuan" in "".join(to_pinyin(evidence["text"]))
    first_agent_turn = stereo_call.placements[0].at
    assert first_agent_turn + 1.0 <= evidence["start"] <= first_agent_turn + 5.5, evidence
    assert 0.0 < evidence["confidence"] < 1.0


def test_cpu_default_packs_regions_and_fits_windows_for_the_rest(transcriber: Transcriber) -> None:
    from inspection.transcription.decoders import FittedDecoder
    from inspection.transcription.packing import PackedDecoder
    from inspection.transcription.transcribe import CPU_MIN_WINDOW_S

    decoder = transcriber.decoder
    assert isinstance(decoder, PackedDecoder) and isinstance(decoder.fallback, FittedDecoder)
    assert decoder.fallback.min_window_s == CPU_MIN_WINDOW_S


def test_two_different_turns_of_one_channel_share_one_window(
    transcriber: Transcriber, speech_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The agent says the welcome clip, then (after the customer's turn) the happy clip: both go
    into one 30 s window, one decode, and each comes back with its own words at its own time."""
    welcome, happy = read_clip(speech_dir / "zh_welcome.wav"), read_clip(speech_dir / "zh_happy.wav")
    channel = np.zeros(16_000 * 20, dtype=np.float32)
    channel[16_000 * 1 : 16_000 * 1 + len(welcome)] = welcome
    channel[16_000 * 12 : 16_000 * 12 + len(happy)] = happy
    decoder = transcriber.decoder
    windows: list[list[float]] = []  # per decode: each clip's seconds
    decode_clips = decoder.fallback.decode_clips
    monkeypatch.setattr(decoder.fallback, "decode_clips",
                        lambda clips, window_s, **kw: windows.append([len(c) / 16_000 for c in clips])
                        or decode_clips(clips, window_s, **kw))
    segments = transcriber.recognise(channel)
    # one window holding both turns: the regions with the gap between them cut to the packing
    # gap, longer than the welcome clip (5.5 s) alone
    assert len(windows[0]) == 1 and windows[0][0] > 6.0, windows
    # The packed decoder decodes a region again on its own when the packed pass skipped its
    # words; whether whisper skips the short happy clip there varies with the CPU's int8 kernels
    # (CI saw it; CT2_FORCE_CPU_ISA=GENERIC shows it here). Such a retry is that one region only.
    assert len(windows) <= 2 and all(len(w) == 1 and w[0] < 3.0 for w in windows[1:]), windows
    assert len(segments) == 2, segments
    assert 1.0 <= segments[0].start <= 2.0 and 12.0 <= segments[1].start <= 13.0, segments
    # the same reading-changes-with-the-window caveat as above (打磨院…云食别 here: 26 %)
    assert cer(WELCOME, segments[0].text) <= 0.3 and cer(HAPPY, segments[1].text) <= 0.3, segments
    assert all(1.0 <= w.start <= 7.0 for w in segments[0].words)
    assert all(12.0 <= w.start <= 14.6 for w in segments[1].words)
