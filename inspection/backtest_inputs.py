"""What a backtest reads: conversation files (canonical JSON / JSON Lines / chat CSV) and
transcripts exported from the service (`GET /api/conversations/{id}` records, one object, an
array or one per line), never recordings: a backtest does not transcribe again.

An exported record keeps its stored, already redacted turns; the service's own fields (status,
score, findings, sentiment …) are dropped and the rest read as a canonical conversation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from inspection.errors import ZhijianError
from inspection.loaders import conversation_from_dict, load_conversations
from inspection.pipeline import discover, is_audio
from inspection.types import Conversation

EXPORT_MARKERS = frozenset({"status", "findings"})  # what canonical JSON never has
CANONICAL_FIELDS = ("id", "channel", "direction", "industry", "agent_id", "started_at",
                    "metadata", "roles_inferred")
TURN_FIELDS = ("role", "start", "end", "text", "confidence")
NO_AUDIO = "回测只读转写文本，不重新转写录音：请传入服务导出的转写或 zhijian transcribe 的输出"


def load_texts(paths: Sequence[str | Path]) -> tuple[list[Conversation], list[str]]:
    """Every conversation in `paths` (files or folders), and one message per file that could
    not be read (recordings included); `InvalidInputError` for a path that does not exist."""
    conversations: list[Conversation] = []
    problems: list[str] = []
    for path in discover(paths):
        if is_audio(path):
            problems.append(f"{path}: {NO_AUDIO}")
            continue
        try:
            conversations += load_file(path)
        except ZhijianError as exc:
            problems.append(str(exc))
    return conversations, problems


def load_file(path: Path) -> list[Conversation]:
    """One file's conversations, whether canonical or exported from the service."""
    if path.suffix.lower() not in (".json", ".jsonl"):
        return load_conversations(path)
    records = _json_records(path)
    if records is None or not any(EXPORT_MARKERS & record.keys() for record in records):
        return load_conversations(path)  # canonical: its own precise errors
    return [conversation_from_export(record, source=str(path)) for record in records]


def conversation_from_export(record: dict[str, Any], *, source: str) -> Conversation:
    """A service record (`ConversationPublic`) as the canonical conversation it was stored as."""
    data = {key: record[key] for key in CANONICAL_FIELDS if record.get(key) is not None}
    turns = record.get("utterances")
    if isinstance(turns, list):
        data["utterances"] = [{key: turn[key] for key in TURN_FIELDS if key in turn}
                              for turn in turns if isinstance(turn, dict)]
    return conversation_from_dict(data, source=source, prefix=str(record.get("id", "")))


def _json_records(path: Path) -> list[dict[str, Any]] | None:
    """The file's JSON objects, or None when it does not parse as such (the canonical loader
    then reports the problem)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() == ".jsonl":
            values = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            data = json.loads(text)
            values = data if isinstance(data, list) else [data]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not values or not all(isinstance(value, dict) for value in values):
        return None
    return values


__all__ = ["conversation_from_export", "load_file", "load_texts"]
