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
from pathlib import Path
from typing import IO, Any

from inspection.engine import DEFAULT_RULES_DIR, RuleSet, load_rule_files
from inspection.engine.examples import run_examples
from inspection.engine.loader import RULE_FILE_SUFFIXES, rule_files
from inspection.errors import RuleConfigError
from inspection.pipeline import Pipeline
from inspection.types import SentimentAnalyzer

RuleTexts = Mapping[str, str]  # file name → YAML text


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

    def is_dir(self) -> bool:
        return False

    def is_file(self) -> bool:
        return True

    def iterdir(self) -> Iterator[Traversable]:
        return iter(())

    def joinpath(self, *descendants: str) -> Traversable:
        raise FileNotFoundError(f"{self._name} is a file")

    def __truediv__(self, child: str) -> Traversable:
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


def pipeline_with_rules(pipeline: Pipeline, rules: RuleSet) -> Pipeline:
    """The same pipeline (models, redaction, review threshold, veto policy) over other rules."""
    policy = replace(pipeline.policy, category_caps=dict(rules.category_caps))
    return Pipeline(rules, sentiment=pipeline.sentiment, transcriber=pipeline.transcriber,
                    redact=pipeline.redacts, policy=policy, embedder=pipeline.embedder)
