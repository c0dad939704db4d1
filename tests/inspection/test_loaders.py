"""Conversation JSON / JSON lines / chat CSV loading and its error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inspection.errors import ConversationFormatError
from inspection.loaders import load_conversations

VALID = {
    "id": "c-1",
    "channel": "voice",
    "direction": "inbound",
    "metadata": {"agent_id": "A017", "queue": "credit_card"},
    "utterances": [
        {"role": "agent", "start": 0.0, "end": 3.1, "text": "您好，工号8027"},
        {"role": "customer", "start": 3.4, "end": 6.0, "text": "查账单"},
    ],
}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_canonical_json_loads_with_agent_id_from_metadata(tmp_path: Path) -> None:
    [conversation] = load_conversations(write(tmp_path, "c.json", json.dumps(VALID)))
    assert conversation.id == "c-1"
    assert conversation.agent_id == "A017"
    assert conversation.metadata["queue"] == "credit_card"
    assert [u.role for u in conversation.utterances] == ["agent", "customer"]
    assert conversation.utterances[1].end == 6.0


def test_json_array_and_json_lines_hold_many(tmp_path: Path) -> None:
    second = {**VALID, "id": "c-2"}
    array = load_conversations(write(tmp_path, "a.json", json.dumps([VALID, second])))
    lines = load_conversations(
        write(tmp_path, "a.jsonl", json.dumps(VALID) + "\n\n" + json.dumps(second) + "\n")
    )
    assert [c.id for c in array] == [c.id for c in lines] == ["c-1", "c-2"]


def _without(key: str) -> dict[str, object]:
    return {k: v for k, v in VALID.items() if k != key}


def _with_utterance(**changes: object) -> dict[str, object]:
    utterance = {**VALID["utterances"][1], **changes}  # type: ignore[index]
    return {**VALID, "utterances": [VALID["utterances"][0], utterance]}  # type: ignore[index]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.json", '{"id": "c-1", "utterances": [', "JSON 格式错误"),
        ("bad.json", json.dumps(_without("utterances")), "utterances: 缺少必填字段"),
        ("bad.json", json.dumps({**VALID, "utterances": []}), "utterances: 没有任何话轮"),
        ("bad.json", json.dumps(_with_utterance(role="bot")), "utterances[1].role: 未知角色 'bot'"),
        ("bad.json", json.dumps(_with_utterance(start=5, end=1)), "utterances[1]"),
        ("bad.json", json.dumps(_with_utterance(text=None)), "utterances[1].text"),
        ("bad.json", json.dumps(_without("id")), "id: 缺少必填字段"),
        ("bad.json", json.dumps({**VALID, "colour": "red"}), "colour: 未知字段"),
        ("bad.json", "[1, 2]", "[0]: 应为 JSON 对象"),
        ("bad.json", "[]", "没有会话"),
        ("empty.json", "", "文件为空"),
        ("blank.csv", "  \n", "文件为空"),
        ("bad.txt", "hello", "不支持的文件类型"),
        ("bad.jsonl", json.dumps(VALID) + "\n{oops\n", "line 2: JSON 格式错误"),
    ],
)
def test_malformed_json_names_file_and_field(
    tmp_path: Path, name: str, content: str, expected: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(ConversationFormatError) as error:
        load_conversations(path)
    message = str(error.value)
    assert message.startswith(str(path))
    assert expected in message
    assert "\n" not in message


CSV_HEADER = "conversation_id,role,timestamp,text\n"


def test_chat_csv_groups_rows_into_conversations(tmp_path: Path) -> None:
    rows = (
        "chat-1,customer,2026-11-04T20:15:03+08:00,在吗\n"
        "chat-2,customer,2026-11-04T21:00:00+08:00,发货了吗\n"
        "chat-1,agent,2026-11-04T20:15:20+08:00,\"您好，在的\"\n"
        "chat-2,agent,2026-11-04T21:01:30+08:00,已发货\n"
    )
    first, second = load_conversations(write(tmp_path, "chat.csv", CSV_HEADER + rows))
    assert (first.id, first.channel) == ("chat-1", "chat")
    assert [u.text for u in first.utterances] == ["在吗", "您好，在的"]
    assert first.utterances[1].start == pytest.approx(17.0)
    assert second.utterances[1].start == pytest.approx(90.0)
    assert first.started_at is not None and first.started_at.utcoffset() is not None


def test_chat_csv_accepts_seconds_bom_and_agent_column(tmp_path: Path) -> None:
    content = ("\ufeffconversation_id,role,timestamp,text,agent_id\n"
               "c,agent,0,您好,A023\nc,customer,12.5,嗯,A023\n")
    [conversation] = load_conversations(write(tmp_path, "chat.csv", content))
    assert conversation.agent_id == "A023"
    assert conversation.utterances[1].start == 12.5


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("conversation_id,role,text\nc,agent,hi\n", "line 1: CSV 缺少列 timestamp"),
        (CSV_HEADER, "没有数据行"),
        (CSV_HEADER + "c,robot,0,hi\n", "line 2 role: 未知角色 'robot'"),
        (CSV_HEADER + "c,agent,yesterday,hi\n", "line 2 timestamp: 无法解析时间"),
        (CSV_HEADER + "c,agent,0,hi\n,agent,1,hi\n", "line 3: conversation_id 为空"),
        (CSV_HEADER + "c,agent,0,hi,extra\n", "line 2: 列数多于表头"),
    ],
)
def test_malformed_csv_names_line(tmp_path: Path, content: str, expected: str) -> None:
    path = write(tmp_path, "chat.csv", content)
    with pytest.raises(ConversationFormatError, match=expected.replace("(", r"\(")):
        load_conversations(path)


def test_non_utf8_csv_is_rejected_with_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, "gbk.csv", (CSV_HEADER + "c,agent,0,您好\n").encode("gbk"))
    with pytest.raises(ConversationFormatError) as error:
        load_conversations(path)
    assert str(error.value).startswith(f"{path}: line 2: 不是 UTF-8 编码")
    assert "GBK" in str(error.value)


def test_csv_field_over_the_csv_limit_is_a_format_error(tmp_path: Path) -> None:
    path = write(tmp_path, "huge.csv", CSV_HEADER + 'c,agent,0,"' + "长" * 200_000 + '"\n')
    with pytest.raises(ConversationFormatError, match="CSV 格式错误"):
        load_conversations(path)
