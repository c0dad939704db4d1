"""`zhijian transcribe` with a stand-in transcriber: output formats, exit codes, bad files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from inspection import lazy_models
from inspection.transcription.audio import decode_audio
from inspection.types import Conversation, Utterance, Word
from zhijian.cli import main

MOBILE = "13812345678"


class StandInTranscriber:
    """Decodes for real (so bad files fail for real) but makes up the words: a greeting, and
    the customer giving a mobile number."""

    def transcribe(self, path: str | Path, **_: Any) -> Conversation:
        audio = decode_audio(path)
        words = (Word(text="您好", start=0.5, end=1.0, probability=0.8),)
        return Conversation(
            id=Path(path).stem, channel="voice", audio_path=str(path),
            roles_inferred=not audio.is_stereo,
            utterances=(Utterance(role="agent", start=0.5, end=1.0, text="您好",
                                  confidence=0.8, words=words),
                        Utterance(role="customer", start=1.5, end=4.0,
                                  text=f"我的手机号是{MOBILE}", confidence=0.8)),
        )


@pytest.fixture(autouse=True)
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy_models, "load_transcriber", lambda options: StandInTranscriber())


def test_json_lines_in_the_canonical_format(capsys: pytest.CaptureFixture[str],
                                            speech_dir: Path) -> None:
    code = main(["transcribe", str(speech_dir / "zh_happy.wav"), str(speech_dir / "zh_welcome.wav")])
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["id"] for r in records] == ["zh_happy", "zh_welcome"]
    assert records[0]["channel"] == "voice" and records[0]["roles_inferred"] is True
    assert records[0]["utterances"][0]["words"][0] == {
        "text": "您好", "start": 0.5, "end": 1.0, "probability": 0.8}
    Conversation.model_validate(records[0])  # what zhijian inspect reads back


def test_personal_numbers_are_redacted_unless_asked_not_to(
    capsys: pytest.CaptureFixture[str], speech_dir: Path
) -> None:
    assert main(["transcribe", str(speech_dir / "zh_happy.wav")]) == 0
    captured = capsys.readouterr()
    assert MOBILE not in captured.out and "[手机号]" in captured.out
    assert "--no-redact" not in captured.err
    assert main(["transcribe", "--no-redact", str(speech_dir / "zh_happy.wav")]) == 0
    captured = capsys.readouterr()
    assert MOBILE in captured.out and "已关闭脱敏（--no-redact）" in captured.err


def test_bad_files_exit_2_name_the_file_and_the_others_still_print(
    capsys: pytest.CaptureFixture[str], speech_dir: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    junk = tmp_path / "junk.mp3"
    junk.write_text("not audio" * 100, encoding="utf-8")
    code = main(["transcribe", str(empty), str(speech_dir / "zh_happy.wav"), str(junk)])
    captured = capsys.readouterr()
    assert code == 2
    assert [json.loads(line)["id"] for line in captured.out.splitlines()] == ["zh_happy"]
    assert f"{empty}: 文件为空" in captured.err and f"{junk}: 不是可识别的音频文件" in captured.err


def test_output_dir_gets_one_file_per_good_recording(
    capsys: pytest.CaptureFixture[str], speech_dir: Path, tmp_path: Path
) -> None:
    (tmp_path / "bad.wav").write_bytes(b"RIFF")
    out_dir = tmp_path / "out"
    code = main(["transcribe", str(speech_dir / "zh_happy.wav"), str(tmp_path / "bad.wav"),
                 "-o", str(out_dir), "--no-words"])
    assert code == 2 and capsys.readouterr().out == ""
    assert sorted(p.name for p in out_dir.iterdir()) == ["zh_happy.json"]
    record = json.loads((out_dir / "zh_happy.json").read_text(encoding="utf-8"))
    assert "words" not in record["utterances"][0]


def test_text_format_is_chinese_and_flags_inferred_roles(
    capsys: pytest.CaptureFixture[str], speech_dir: Path
) -> None:
    assert main(["transcribe", str(speech_dir / "zh_happy.wav"), "--format", "text"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "# zh_happy（角色为推断，请复核）",
        "[00:00.50–00:01.00] 坐席：您好（置信度 0.80）",
        "[00:01.50–00:04.00] 客户：我的手机号是[手机号]（置信度 0.80）",
    ]


def test_invalid_settings_exit_2(capsys: pytest.CaptureFixture[str], speech_dir: Path) -> None:
    assert main(["transcribe", str(speech_dir / "zh_happy.wav"), "--beam-size", "0"]) == 2
    assert "beam_size" in capsys.readouterr().err


def test_min_window_flag_reaches_the_options(monkeypatch: pytest.MonkeyPatch,
                                             speech_dir: Path) -> None:
    seen: list[Any] = []
    monkeypatch.setattr(lazy_models, "load_transcriber",
                        lambda options: seen.append(options) or StandInTranscriber())
    assert main(["transcribe", str(speech_dir / "zh_happy.wav"), "--min-window", "16"]) == 0
    assert seen[0].min_window_s == 16.0
    assert main(["transcribe", str(speech_dir / "zh_happy.wav"), "--min-window", "40"]) == 2
