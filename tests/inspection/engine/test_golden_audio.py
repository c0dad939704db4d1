"""`zhijian rules eval GOLDEN --audio DIR`: the subset with recordings scored on text and through
speech recognition side by side.

A stand-in transcriber "hears" a fixed text per recording (one of them loses the promise), so the
figures are worked out by hand from the tiny pack of test_golden.py; the real whisper on the
synthesised golden calls is in test_golden_voice.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inspection import lazy_models
from inspection.engine.golden import load_golden
from inspection.engine.golden_audio import (
    evaluate_golden_audio,
    find_recordings,
    inspect_recordings,
    recording_of,
)
from inspection.engine.golden_scores import RuleScore
from inspection.errors import InvalidInputError
from inspection.pipeline import Pipeline, PipelineSettings
from inspection.types import Conversation, Utterance
from tests.inspection.engine.test_golden import TINY_PACK, golden, write_json
from zhijian.cli import main

FIELDS = {"direction": "outbound", "industry": "finance", "agent_id": "A7",
          "started_at": "2026-11-03T10:12:00+08:00", "metadata": {"ivr_recording_notice": False}}
# Written text, labels, and what the recogniser hears (None: no recording of it).
SET = [
    ("c1", "这个产品保本", {"t.promise": True, "t.rude": False}, "这个产品收益稳"),  # promise lost
    ("c2", "这个产品收益很稳", {"t.promise": True}, None),
    ("c3", "保本的，你给我滚", {"t.promise": False, "t.rude": True}, "保本的你给我滚"),
    ("c4", "您好", {"t.promise": False}, "您好"),
]
HEARD = {conversation_id: heard for conversation_id, _, _, heard in SET if heard}


class StandInTranscriber:
    """Hears `HEARD[stem]` as the agent; keeps what it was given, to check the fields."""

    def transcribe(self, path: str | Path, *, conversation_id: str | None = None,
                   metadata: dict[str, Any] | None = None) -> Conversation:
        stem = Path(path).stem
        return Conversation(id=conversation_id or stem, channel="voice", metadata=metadata or {},
                            audio_path=str(path),
                            utterances=(Utterance(role="agent", start=0.2, end=2.0, text=HEARD[stem]),))


@pytest.fixture(autouse=True)
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy_models, "load_transcriber", lambda options: StandInTranscriber())


@pytest.fixture()
def rules_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "rules"
    directory.mkdir()
    (directory / "tiny.yaml").write_text(TINY_PACK, encoding="utf-8")
    return directory


@pytest.fixture()
def golden_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "golden"
    directory.mkdir()
    for conversation_id, text, labels, _ in SET:
        write_json(directory / f"{conversation_id}.json",
                   golden(conversation_id, text, labels, channel="voice", **FIELDS))
    return directory


@pytest.fixture()
def audio_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "audio"
    directory.mkdir()
    for conversation_id, extension in (("c1", ".opus"), ("c3", ".flac"), ("c4", ".wav")):
        (directory / f"{conversation_id}{extension}").write_bytes(b"")
    (directory / "other-call.flac").write_bytes(b"")  # no golden conversation of that id
    return directory


def pipeline(rules_dir: Path) -> Pipeline:
    return Pipeline.from_settings(PipelineSettings(rules_dir=rules_dir, sentiment_enabled=False))


def test_text_and_asr_scored_on_the_subset_that_has_recordings(
        rules_dir: Path, golden_dir: Path, audio_dir: Path) -> None:
    evaluation = evaluate_golden_audio(pipeline(rules_dir), load_golden(golden_dir), audio_dir,
                                       progress=False)
    text, asr = evaluation.text, evaluation.asr
    assert (text.conversations, asr.conversations, evaluation.without_audio) == (3, 3, 1)
    # text: promise tp c1, fp c3, tn c4; through ASR c1's promise is lost (fn)
    assert text.rule("t.promise") == RuleScore("t.promise", tp=1, fp=1, fn=0, tn=1)
    assert asr.rule("t.promise") == RuleScore("t.promise", tp=0, fp=1, fn=1, tn=1)
    assert text.rule("t.rude") == asr.rule("t.rude") == RuleScore("t.rude", tp=1, fp=0, fn=0, tn=1)
    assert (text.macro_f1, asr.macro_f1) == pytest.approx(((2 / 3 + 1) / 2, 0.5))
    assert (text.vetoes, text.correct_vetoes, asr.vetoes, asr.correct_vetoes) == (2, 1, 1, 0)
    assert (evaluation.text_veto_recall.found, evaluation.text_veto_recall.positives) == (1, 1)
    assert (evaluation.asr_veto_recall.value, evaluation.asr_veto_recall.positives) == (0.0, 1)
    # agent: 保本 → 收益稳 is 3 edits over 6 + 7 + 2 characters; no customer spoke
    assert evaluation.cer == pytest.approx({"agent": 3 / 15})


def test_each_recording_is_given_its_golden_conversations_fields(
        rules_dir: Path, golden_dir: Path, audio_dir: Path) -> None:
    items = load_golden(golden_dir)
    subset = [item for item in items if item.conversation.id == "c1"]
    recording = recording_of(subset[0].conversation)
    assert (recording.id, recording.direction, recording.industry, recording.agent_id) == (
        "c1", "outbound", "finance", "A7")
    [outcome] = inspect_recordings(pipeline(rules_dir), subset, find_recordings(items, audio_dir),
                                   progress=False)
    transcript = outcome.conversation
    assert (transcript.id, transcript.direction, transcript.industry, transcript.agent_id) == (
        "c1", "outbound", "finance", "A7")
    assert transcript.metadata["ivr_recording_notice"] is False
    assert transcript.started_at == subset[0].conversation.started_at
    assert outcome.source.endswith("c1.opus") and outcome.labels == {"t.promise": True, "t.rude": False}


def run_eval(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["rules", "eval", *args, "--no-sentiment"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table_puts_text_and_asr_side_by_side(capsys: pytest.CaptureFixture[str], rules_dir: Path,
                                              golden_dir: Path, audio_dir: Path) -> None:
    code, out, _ = run_eval(capsys, str(golden_dir), "--rules", str(rules_dir), "--audio", str(audio_dir))
    assert code == 0
    assert "3 通有录音" in out and "另有 1 通无录音" in out
    assert "宏平均 F1 (macro-F1): 文本 0.833 · 语音识别 0.500" in out
    assert "一票否决精确率 (veto precision): 文本 0.500（1/2） · 语音识别 0.000（0/1）" in out
    assert "一票否决召回率 (veto recall): 文本 1.000（1/1） · 语音识别 0.000（0/1）" in out
    assert "识别字错率 (CER): 坐席 20.0%" in out
    asr_only = out[out.index("语音识别后新增漏报"):]
    assert "[t.promise] c1" in asr_only.splitlines()[1]


def test_json_has_both_runs_and_what_recognition_changed(
        capsys: pytest.CaptureFixture[str], rules_dir: Path, golden_dir: Path, audio_dir: Path) -> None:
    code, out, _ = run_eval(capsys, str(golden_dir), "--rules", str(rules_dir), "--audio",
                            str(audio_dir), "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["conversations"], data["without_audio"]) == (3, 1)
    assert data["text"]["macro_f1"] == pytest.approx(5 / 6) and data["asr"]["macro_f1"] == 0.5
    assert (data["text"]["veto_recall"], data["asr"]["veto_recall"]) == (1.0, 0.0)
    assert data["asr"]["cer"] == pytest.approx({"agent": 0.2})
    assert [(e["kind"], e["rule_id"], e["conversation_id"]) for e in data["asr"]["errors_only_asr"]] == [
        ("fn", "t.promise", "c1")]
    assert data["asr"]["errors_only_text"] == []


def test_bad_audio_options_exit_2_and_say_why(capsys: pytest.CaptureFixture[str], rules_dir: Path,
                                              golden_dir: Path, audio_dir: Path, tmp_path: Path) -> None:
    base = [str(golden_dir), "--rules", str(rules_dir), "--audio"]
    code, _, err = run_eval(capsys, *base, str(audio_dir), "--record", str(tmp_path / "r.json"))
    assert code == 2 and "--audio 不能与 --record 同用" in err
    code, _, err = run_eval(capsys, *base, str(tmp_path / "missing"))
    assert code == 2 and "录音目录不存在" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "someone-else.flac").write_bytes(b"")
    code, _, err = run_eval(capsys, *base, str(empty))
    assert code == 2 and "没有任何金标会话的录音" in err
    (audio_dir / "c1.flac").write_bytes(b"")
    code, _, err = run_eval(capsys, *base, str(audio_dir))
    assert code == 2 and "c1 有多个录音" in err


def test_a_recording_that_cannot_be_transcribed_names_the_file(
        monkeypatch: pytest.MonkeyPatch, rules_dir: Path, golden_dir: Path, audio_dir: Path) -> None:
    from inspection.errors import AudioError

    class Broken(StandInTranscriber):
        def transcribe(self, path: str | Path, **_: Any) -> Conversation:
            raise AudioError(str(path), "不是音频 (not audio)")

    monkeypatch.setattr(lazy_models, "load_transcriber", lambda options: Broken())
    with pytest.raises(InvalidInputError, match=r"c1\.opus"):
        evaluate_golden_audio(pipeline(rules_dir), load_golden(golden_dir), audio_dir, progress=False)
