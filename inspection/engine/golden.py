"""Golden sets: labelled conversations that measure how well a rule set finds what it should.

A golden file is canonical conversation JSON (one object, an array, or `.jsonl` one a line)
with two more keys, stripped before the conversation is validated:

    "labels": {"fin.guaranteed_return": true, "svc.greeting": false, …}   required, non-empty
    "notes": "why the labels are what they are"                           optional string

`true` = a correct system must report that rule on this conversation (for a required-behaviour
rule such as `svc.closing`: the behaviour is missing); `false` = it must not (which includes
"does not apply"); a rule absent from `labels` is not judged on this conversation.

`load_golden` reads a folder (every `.json` / `.jsonl` under it, sorted) or one file; every
problem is an `InvalidInputError` naming the file (and line or array index). `check_label_ids`
rejects labels for rules the rule set does not have. `inspect_golden` runs each conversation
through the one `Pipeline` (redaction, sentiment, rules, scoring: as in production) and
`evaluate_golden` scores the verdicts (`golden_scores`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from inspection.engine.golden_scores import Evaluation, LabelledOutcome, score_outcomes
from inspection.errors import ConversationFormatError, InvalidInputError, ZhijianError
from inspection.loaders import conversation_from_dict
from inspection.pipeline import Pipeline
from inspection.types import Conversation

GOLDEN_EXTENSIONS = frozenset({".json", ".jsonl"})
GOLDEN_KEYS = ("labels", "notes")
PROGRESS_FROM = 5  # conversations: fewer run without a progress bar


@dataclass(frozen=True)
class GoldenConversation:
    """One labelled conversation and where it came from ("path" or "path: line 3")."""

    conversation: Conversation
    labels: dict[str, bool] = field(default_factory=dict)
    notes: str | None = None
    source: str = ""


def golden_files(path: Path) -> list[Path]:
    """The golden files of a folder (recursive, sorted) or the one file given."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*")
                       if p.is_file() and p.suffix.lower() in GOLDEN_EXTENSIONS)
        if not files:
            raise InvalidInputError(str(path), "目录中没有 .json / .jsonl 金标文件 (no golden files)")
        return files
    if not path.exists():
        raise InvalidInputError(str(path), "文件或目录不存在 (no such file or directory)")
    if path.suffix.lower() not in GOLDEN_EXTENSIONS:
        raise InvalidInputError(str(path), "金标文件应为 .json 或 .jsonl (golden files are JSON)")
    return [path]


def load_golden(path: Path) -> list[GoldenConversation]:
    """Every labelled conversation under `path`; conversation ids must be unique."""
    golden = [item for file in golden_files(path) for item in load_golden_file(file)]
    seen: dict[str, str] = {}
    for item in golden:
        first = seen.setdefault(item.conversation.id, item.source)
        if first != item.source:
            raise InvalidInputError(item.source, f"会话 id '{item.conversation.id}' 与 {first} 重复 "
                                    "(duplicate conversation id)")
    return golden


def load_golden_file(path: Path) -> list[GoldenConversation]:
    """The labelled conversations of one `.json` or `.jsonl` file."""
    return [golden_from_dict(data, source=_source(path, location))
            for location, data in _decoded_values(path)]


def golden_from_dict(data: Any, *, source: str) -> GoldenConversation:
    """Split `labels` and `notes` off one decoded object and validate the rest as a conversation."""
    if not isinstance(data, dict):
        raise ConversationFormatError(source, f"应为 JSON 对象，实际为 {type(data).__name__}")
    conversation_data = {key: value for key, value in data.items() if key not in GOLDEN_KEYS}
    conversation = conversation_from_dict(conversation_data, source=source)
    return GoldenConversation(conversation, _labels(data, source), _notes(data, source), source)


def check_label_ids(golden: Iterable[GoldenConversation], rule_ids: Iterable[str]) -> None:
    """Raise, naming the file, on the first label for a rule the rule set does not have."""
    known = set(rule_ids)
    for item in golden:
        unknown = sorted(set(item.labels) - known)
        if unknown:
            raise InvalidInputError(item.source, f"未知规则 id {', '.join(unknown)}（规则包中没有此规则）"
                                    "(unknown rule id)", "labels")


def inspect_golden(pipeline: Pipeline, golden: Sequence[GoldenConversation], *,
                   progress: bool = True) -> list[LabelledOutcome]:
    """Run every conversation through the pipeline (progress bar on stderr from
    `PROGRESS_FROM` conversations); a conversation the rules cannot check is an error."""
    outcomes: list[LabelledOutcome] = []
    bar = tqdm(golden, desc="评测", unit="通", file=sys.stderr, leave=False,
               disable=not progress or len(golden) < PROGRESS_FROM)
    for item in bar:
        try:
            inspected = pipeline.inspect_conversation(item.conversation)
        except ZhijianError as exc:  # e.g. a rule's regex timed out on this text
            raise InvalidInputError(item.source, f"无法质检: {exc}") from exc
        outcomes.append(LabelledOutcome(inspected.conversation, item.labels, item.notes,
                                        item.source, inspected.result))
    return outcomes


def evaluate_golden(pipeline: Pipeline, golden: Sequence[GoldenConversation], *,
                    progress: bool = True) -> Evaluation:
    """Check the labels against the pipeline's rules, inspect, and score."""
    check_label_ids(golden, (rule.id for rule in pipeline.rules.rules))
    return score_outcomes(inspect_golden(pipeline, golden, progress=progress))


def _labels(data: dict[str, Any], source: str) -> dict[str, bool]:
    labels = data.get("labels")
    if labels is None:
        raise ConversationFormatError(source, "缺少 labels：金标会话需要 {规则 id: true|false} "
                                      "(missing labels)", "labels")
    if not isinstance(labels, dict) or not labels:
        raise ConversationFormatError(source, "labels 应为非空对象 {规则 id: true|false} "
                                      "(labels must be a non-empty object)", "labels")
    for rule_id, value in labels.items():
        if not isinstance(value, bool):
            raise ConversationFormatError(source, f"应为 true 或 false，实际为 {value!r} "
                                          "(label must be a boolean)", f"labels.{rule_id}")
    return dict(labels)


def _notes(data: dict[str, Any], source: str) -> str | None:
    notes = data.get("notes")
    if notes is not None and not isinstance(notes, str):
        raise ConversationFormatError(source, "notes 应为字符串 (notes must be a string)", "notes")
    return notes


def _decoded_values(path: Path) -> Iterator[tuple[str | None, Any]]:
    """(location, decoded JSON value) for each conversation object in the file."""
    text = _read_text(path)
    if path.suffix.lower() == ".jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                yield f"line {number}", _decode(line, str(path), f"line {number}")
        return
    data = _decode(text, str(path), None)
    if isinstance(data, list):
        if not data:
            raise ConversationFormatError(str(path), "JSON 数组为空，没有会话 (no conversations)")
        yield from ((f"[{index}]", item) for index, item in enumerate(data))
    else:
        yield None, data


def _decode(text: str, source: str, location: str | None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = location or f"line {exc.lineno} column {exc.colno}"
        raise ConversationFormatError(source, f"JSON 格式错误: {exc.msg}", where) from None


def _read_text(path: Path) -> str:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ConversationFormatError(str(path), f"无法读取文件: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConversationFormatError(str(path), "不是 UTF-8 编码，请另存为 UTF-8 "
                                      "(file is not UTF-8)") from None
    if not text.strip():
        raise ConversationFormatError(str(path), "文件为空 (empty file)")
    return text


def _source(path: Path, location: str | None) -> str:
    return f"{path}: {location}" if location else str(path)


__all__ = ["GOLDEN_EXTENSIONS", "GoldenConversation", "check_label_ids", "evaluate_golden",
           "golden_files", "golden_from_dict", "inspect_golden", "load_golden",
           "load_golden_file"]
