"""The ratchet: figures recorded for a golden set, which a change may raise but never lower.

A record is a small JSON file kept in the repository beside the golden set:

    {"golden": "tests/golden/test", "conversations": 110, "macro_f1": 0.8123,
     "veto_precision": 1.0, "rule_f1": {"fin.guaranteed_return": 0.9, …}}

Figures are stored rounded to `DECIMALS` places and compared at that precision. `drops` lists
every figure now lower than recorded (a recorded rule no longer labelled counts as dropped to
0). A record also carries the number of conversations it was measured on: when the golden set
changes size the old figures do not describe it, so the check fails until the record is
re-measured; `blocking_drops` then allows writing lower figures (they are listed), so adding
hard cases is possible and adding or removing conversations is always a visible change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspection.engine.golden_scores import Evaluation
from inspection.errors import InvalidInputError

DECIMALS = 4


@dataclass(frozen=True)
class Record:
    """The figures of one golden set: what a later evaluation must not fall below."""

    conversations: int
    macro_f1: float
    veto_precision: float
    rule_f1: dict[str, float] = field(default_factory=dict)
    golden: str = ""


@dataclass(frozen=True)
class Drop:
    """One figure lower than recorded (`current` 0.0 for a rule no longer labelled)."""

    figure: str
    recorded: float
    current: float

    @property
    def by(self) -> float:
        return round(self.recorded - self.current, DECIMALS)


def record_of(evaluation: Evaluation, golden: str = "") -> Record:
    """The figures of `evaluation`, rounded as they are stored."""
    return Record(
        conversations=evaluation.conversations,
        macro_f1=round(evaluation.macro_f1, DECIMALS),
        veto_precision=round(evaluation.veto_precision, DECIMALS),
        rule_f1={score.rule_id: round(score.f1, DECIMALS) for score in evaluation.rules},
        golden=golden,
    )


def drops(recorded: Record, current: Record) -> list[Drop]:
    """Every figure of `current` below `recorded`: macro-F1, veto precision, then per rule."""
    pairs = [("macro_f1", recorded.macro_f1, current.macro_f1),
             ("veto_precision", recorded.veto_precision, current.veto_precision)]
    pairs += [(rule_id, f1, current.rule_f1.get(rule_id, 0.0))
              for rule_id, f1 in recorded.rule_f1.items()]
    return [Drop(name, before, now) for name, before, now in pairs if now < before]


def size_changed(recorded: Record, current: Record) -> bool:
    return recorded.conversations != current.conversations


def blocking_drops(recorded: Record | None, current: Record) -> list[Drop]:
    """The drops that forbid writing `current` over `recorded`: none when there is no record yet
    or the golden set changed size (the figures are re-measured on other conversations);
    otherwise every drop (the ratchet only goes up)."""
    if recorded is None or size_changed(recorded, current):
        return []
    return drops(recorded, current)


def load_record(path: Path) -> Record:
    """Read a record; `InvalidInputError` naming the file when it is missing or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError(str(path), "记录文件不存在：先用 --update-record 生成 "
                                "(no record yet: create it with --update-record)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(str(path), f"无法读取记录文件: {exc}") from None
    try:
        return _record_from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInputError(str(path), f"记录文件格式错误: {exc!r}（应含 conversations、"
                                "macro_f1、veto_precision、rule_f1）") from None


def write_record(path: Path, record: Record) -> None:
    """Write `record` as stable, diff-friendly JSON (rules sorted, one per line)."""
    data: dict[str, Any] = {
        "golden": record.golden,
        "conversations": record.conversations,
        "macro_f1": record.macro_f1,
        "veto_precision": record.veto_precision,
        "rule_f1": dict(sorted(record.rule_f1.items())),
    }
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _record_from_dict(data: Any) -> Record:
    conversations = data["conversations"]
    if not isinstance(conversations, int) or isinstance(conversations, bool):
        raise ValueError("conversations must be an integer")
    rule_f1 = {str(rule_id): float(f1) for rule_id, f1 in data["rule_f1"].items()}
    return Record(conversations, float(data["macro_f1"]), float(data["veto_precision"]),
                  rule_f1, str(data.get("golden", "")))


__all__ = ["DECIMALS", "Drop", "Record", "blocking_drops", "drops", "load_record", "record_of",
           "size_changed", "write_record"]
