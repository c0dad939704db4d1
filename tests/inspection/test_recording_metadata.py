"""Metadata for recordings: a sidecar `call.json` and `--metadata FILE.csv` reach the findings.

A stand-in transcriber decodes the recording for real and makes up the words, so the rules see
the same text with and without metadata; only the metadata decides whether a rule gated on
direction and industry applies.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from inspection import lazy_models
from inspection.errors import InvalidInputError
from inspection.recording_metadata import (
    RecordingMetadata,
    drop_sidecars,
    plan_recordings,
    read_metadata_csv,
    read_sidecar,
)
from inspection.transcription import AUDIO_EXTENSIONS
from inspection.transcription.audio import decode_audio
from inspection.types import Conversation, Utterance
from tests.inspection.transcription.audio_builders import write_wav
from zhijian.cli import main

RULES = textwrap.dedent("""\
    pack: metadata_test
    description: 测试规则：外呼金融电话里坐席提到“理财”
    rules:
      - id: test.outbound_finance_pitch
        version: 1
        name: 外呼推荐理财
        description: 仅用于测试录音元数据：外呼的金融电话中坐席提到理财。
        category: process
        severity: minor
        deduction: 1
        role: agent
        type: keyword
        keywords: [理财]
        applies_when: {direction: outbound, industry: [finance]}
        examples:
          hit: [{direction: outbound, industry: finance, utterances: [{role: agent, text: 给您推荐一款理财}]}]
          miss: [{direction: inbound, industry: finance, utterances: [{role: agent, text: 给您推荐一款理财}]}]
    """)


class StandInTranscriber:
    """Decodes for real (so bad files fail for real); the agent always mentions 理财."""

    def transcribe(self, path: str | Path, *, conversation_id: str | None = None,
                   metadata: dict[str, Any] | None = None) -> Conversation:
        decode_audio(path)
        return Conversation(
            id=conversation_id or Path(path).stem, channel="voice", audio_path=str(path),
            metadata=metadata or {},
            utterances=(Utterance(role="agent", start=0.5, end=2.0, text="您好，给您推荐一款理财产品",
                                  confidence=0.9),))


@pytest.fixture(autouse=True)
def stand_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lazy_models, "load_transcriber", lambda options: StandInTranscriber())


@pytest.fixture
def rules_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "metadata_test.yaml").write_text(RULES, encoding="utf-8")
    return folder


def recording(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return write_wav(folder / name, [np.full(16_000, 0.1, dtype=np.float32)])


def inspect(capsys: pytest.CaptureFixture[str], rules_dir: Path,
            *args: str) -> tuple[int, dict[str, Any], str]:
    code = main(["inspect", "--no-sentiment", "--format", "json", "--rules", str(rules_dir), *args])
    captured = capsys.readouterr()
    records = {r["id"]: r for r in map(json.loads, captured.out.splitlines())}
    return code, records, captured.err


def fired(record: dict[str, Any]) -> bool:
    return "test.outbound_finance_pitch" in {f["rule_id"] for f in record["findings"]}


def test_sidecar_fields_reach_the_rules(capsys: pytest.CaptureFixture[str], rules_dir: Path,
                                        tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    recording(calls, "plain.wav")
    recording(calls, "outbound.wav")
    (calls / "outbound.json").write_text(json.dumps({
        "id": "c-7", "direction": "outbound", "industry": "finance", "agent_id": "A017",
        "started_at": "2026-11-03T14:05:00+08:00", "metadata": {"queue": "wealth"}}), encoding="utf-8")
    code, records, err = inspect(capsys, rules_dir, str(calls))
    assert code == 0, err
    assert set(records) == {"plain", "c-7"}  # the sidecar is not read as a chat log
    assert not fired(records["plain"]) and fired(records["c-7"])
    assert records["c-7"]["agent_id"] == "A017"


def test_csv_rows_reach_the_rules_and_bad_rows_are_named(
    capsys: pytest.CaptureFixture[str], rules_dir: Path, tmp_path: Path
) -> None:
    calls = tmp_path / "calls"
    for name in ("a.wav", "b.wav", "c.wav"):
        recording(calls, name)
    table = tmp_path / "meta.csv"
    table.write_text("file,agent_id,direction,industry,ivr_recording_notice\n"
                     "a.wav,A1,outbound,finance,true\n"
                     "calls/b.wav,A2,inbound,finance,false\n"
                     "ghost.wav,A3,outbound,finance,true\n", encoding="utf-8")
    code, records, err = inspect(capsys, rules_dir, str(calls), "--metadata", str(table))
    assert code == 2  # the row naming no recording
    assert f"{table}: 第 4 行: ghost.wav: 不在本次的录音中" in err
    assert set(records) == {"a", "b", "c"}  # every recording still inspected
    assert fired(records["a"]) and not fired(records["b"]) and not fired(records["c"])
    assert [records[name]["agent_id"] for name in "abc"] == ["A1", "A2", None]


def test_require_metadata_names_the_recording_without_and_inspects_the_rest(
    capsys: pytest.CaptureFixture[str], rules_dir: Path, tmp_path: Path
) -> None:
    calls = tmp_path / "calls"
    recording(calls, "known.wav")
    recording(calls, "unknown.wav")
    table = tmp_path / "meta.csv"
    table.write_text("id,direction,industry\nknown,outbound,finance\n", encoding="utf-8")
    code, records, err = inspect(capsys, rules_dir, str(calls), "--metadata", str(table),
                                 "--require-metadata")
    assert code == 2 and set(records) == {"known"} and fired(records["known"])
    assert f"{calls / 'unknown.wav'}: 没有元数据" in err


def test_transcribe_writes_the_metadata_into_the_conversation(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = recording(tmp_path, "call.wav")
    table = tmp_path / "meta.csv"
    table.write_text("file,id,direction,industry,started_at,queue\n"
                     "call.wav,c-9,outbound,finance,2026-11-03T14:05:00+08:00,card\n", encoding="utf-8")
    assert main(["transcribe", str(path), "--metadata", str(table)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["id"], record["direction"], record["industry"]) == ("c-9", "outbound", "finance")
    assert record["started_at"].startswith("2026-11-03T14:05:00") and record["metadata"]["queue"] == "card"


def test_csv_values_and_bad_rows(tmp_path: Path) -> None:
    table = tmp_path / "meta.csv"
    table.write_text("\ufefffile,direction,ivr_recording_notice,queue,note\n"
                     "x.wav,outbound,TRUE,card,\n", encoding="utf-8")
    (row,) = read_metadata_csv(table)
    assert row.file == "x.wav" and row.fields.direction == "outbound"
    assert row.fields.metadata == {"ivr_recording_notice": True, "queue": "card"}  # empty cells left out
    table.write_text("file,direction\nx.wav,sideways\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"meta.csv: 第 2 行:direction"):
        read_metadata_csv(table)
    table.write_text("agent_id\nA1\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="file 或 id"):
        read_metadata_csv(table)


def test_csv_row_overrides_the_sidecar_and_a_bad_sidecar_is_refused(tmp_path: Path) -> None:
    good, bad = recording(tmp_path, "good.wav"), recording(tmp_path, "bad.wav")
    (tmp_path / "good.json").write_text(json.dumps(
        {"direction": "inbound", "industry": "finance", "metadata": {"queue": "card", "team": "t1"}}))
    (tmp_path / "bad.json").write_text(json.dumps({"direction": "sideways"}))
    table = tmp_path / "meta.csv"
    table.write_text("file,direction,queue\ngood.wav,outbound,wealth\n", encoding="utf-8")
    plan = plan_recordings([good, bad], read_metadata_csv(table))
    fields = plan.fields[good]
    assert fields is not None and (fields.direction, fields.industry) == ("outbound", "finance")
    assert fields.metadata == {"queue": "wealth", "team": "t1"}
    assert plan.refused == {bad} and "bad.json: direction" in plan.problems[0]


def test_applied_fields_keep_the_transcript_and_lift_agent_id() -> None:
    conversation = Conversation(id="stem", channel="voice", metadata={"audio_duration_s": 3.0},
                                utterances=(Utterance(role="agent", start=0, end=1, text="您好"),))
    fields = RecordingMetadata.model_validate({"metadata": {"agent_id": "A5"}, "direction": "outbound"})
    applied = fields.applied_to(conversation)
    assert (applied.id, applied.direction, applied.agent_id) == ("stem", "outbound", "A5")
    assert applied.metadata == {"audio_duration_s": 3.0, "agent_id": "A5"}
    assert applied.utterances == conversation.utterances


def test_only_the_sidecars_of_listed_recordings_are_dropped(tmp_path: Path) -> None:
    for name in ("a.json", "b.json", "chat.json"):
        (tmp_path / name).write_text(json.dumps({"direction": "outbound"}), encoding="utf-8")
    transcript = {"id": "b", "utterances": [{"role": "agent", "start": 0, "end": 1, "text": "您好"}]}
    (tmp_path / "b.json").write_text(json.dumps(transcript), encoding="utf-8")
    files = [tmp_path / name for name in ("a.wav", "a.json", "b.flac", "b.json", "chat.json")]
    kept = drop_sidecars(files, AUDIO_EXTENSIONS)  # a.json is a sidecar; b.json a transcript
    assert kept == [tmp_path / name for name in ("a.wav", "b.flac", "b.json", "chat.json")]
    assert read_sidecar(tmp_path / "b.flac") is None
