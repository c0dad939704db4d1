"""Rule packs as text: the files of a rules folder as {file name: YAML}, a `RuleSet` loaded from
such texts (the service keeps its versions in the database), a pack checked (schema and every
rule's own examples), and a pipeline that runs another rule set with the same models.

A rule loaded from texts has `source` = its file name ("finance.yaml"), so messages and pages
name the same file whichever process loaded it.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import IO, Any

import yaml

from inspection.engine import DEFAULT_RULES_DIR, RuleSet, load_rule_files
from inspection.engine.examples import run_examples
from inspection.engine.loader import RULE_FILE_SUFFIXES, rule_files
from inspection.errors import RuleConfigError
from inspection.pipeline import Pipeline
from inspection.types import SentimentAnalyzer

RuleTexts = Mapping[str, str]  # file name → YAML text
DEFAULT_PRECISION_ALERT = 0.8  # `precision_alert:` of a pack that sets none


@dataclass(frozen=True)
class PackCheck:
    """A rule set that loaded, and the examples of its rules that did not behave."""

    rules: RuleSet
    failed_examples: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.failed_examples


class TextFile(Traversable):
    """One pack file held in memory, readable by the rule loader like a file on disk."""

    def __init__(self, name: str, text: str) -> None:
        self._name, self._text = name, text

    @property
    def name(self) -> str:
        return self._name

    def __str__(self) -> str:
        return self._name

    def open(self, mode: str = "r", *args: Any, **kwargs: Any) -> IO[Any]:
        if "b" in mode:
            return io.BytesIO(self._text.encode("utf-8"))
        return io.StringIO(self._text)

    def read_text(self, encoding: str | None = None) -> str:
        return self._text

    def read_bytes(self) -> bytes:
        return self._text.encode("utf-8")

    def is_dir(self) -> bool:
        return False

    def is_file(self) -> bool:
        return True

    def iterdir(self) -> Iterator[Traversable]:
        return iter(())

    def joinpath(self, *descendants: str | PathLike[str]) -> Traversable:
        raise FileNotFoundError(f"{self._name} is a file")

    def __truediv__(self, child: str | PathLike[str]) -> Traversable:
        return self.joinpath(child)


def read_rule_texts(directory: str | Path | None = None) -> dict[str, str]:
    """The `*.yaml` packs of `directory` (default: the bundled packs) as {file name: text}."""
    folder: Traversable = Path(directory) if directory else DEFAULT_RULES_DIR
    return {entry.name: entry.read_text(encoding="utf-8") for entry in rule_files(folder)}


def texts_digest(files: RuleTexts) -> str:
    """sha256 over the files sorted by name: equal digests, equal rule sets."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + files[name].encode("utf-8") + b"\0")
    return digest.hexdigest()


def check_file_name(name: str) -> str:
    """A pack file name as stored: a plain `*.yaml` / `*.yml` name, no folders."""
    if not name.endswith(RULE_FILE_SUFFIXES) or "/" in name or "\\" in name or name.startswith("."):
        raise RuleConfigError(name, "规则包文件名应为 名称.yaml（不含目录）")
    return name


def load_rule_texts(files: RuleTexts) -> RuleSet:
    """Load packs from their texts, in file-name order (`RuleConfigError` naming the file)."""
    if not files:
        raise RuleConfigError("rules", "没有规则包文件 (no rule files)")
    return load_rule_files([TextFile(check_file_name(name), files[name]) for name in sorted(files)])


def check_rule_texts(files: RuleTexts, sentiment: SentimentAnalyzer | None = None) -> PackCheck:
    """Load the packs and run every rule's must-hit / must-miss examples."""
    rules = load_rule_texts(files)
    failed = tuple(f"{outcome.rule_id}: {'应命中却未命中' if outcome.expected_hit else '不应命中却命中'}"
                   f"「{outcome.example}」"
                   for outcome in run_examples(rules, sentiment) if not outcome.passed)
    return PackCheck(rules, failed)


def precision_alerts(rules: RuleSet, files: RuleTexts) -> dict[str, float]:
    """Each rule's alert threshold: the `precision_alert` of its pack (default 0.8)."""
    by_file: dict[str, float] = {}
    for name, text in files.items():
        data = yaml.safe_load(text)
        value = data.get("precision_alert") if isinstance(data, dict) else None
        by_file[name] = float(value) if isinstance(value, int | float) else DEFAULT_PRECISION_ALERT
    return {rule.id: by_file.get(Path(rule.source).name, DEFAULT_PRECISION_ALERT)
            for rule in rules.rules}


def pipeline_with_rules(pipeline: Pipeline, rules: RuleSet) -> Pipeline:
    """The same pipeline (models, redaction, review threshold, veto policy) over other rules."""
    policy = replace(pipeline.policy, category_caps=dict(rules.category_caps))
    return Pipeline(rules, sentiment=pipeline.sentiment, transcriber=pipeline.transcriber,
                    redact=pipeline.redacts, policy=policy, embedder=pipeline.embedder)
