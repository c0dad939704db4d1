"""The held-out call-centre test file: well formed, balanced, and disjoint from training text."""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import TextIO

import pytest

from inspection.sentiment.training.dataset import CALLCENTRE_CSV, CALLCENTRE_HELDOUT_CSV, DEFAULT_DATA_DIR

LABELS = {"negative", "neutral", "positive"}
ROLES = {"customer", "agent"}
KINDS = {"spoken", "chat"}  # ASR-like phone turns / typed chat turns
NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lower-cased NFKC text without punctuation, symbols or whitespace."""
    return NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return read_rows(CALLCENTRE_HELDOUT_CSV)


def test_heldout_parses_with_the_training_columns(rows: list[dict[str, str]]) -> None:
    assert list(rows[0]) == list(read_rows(CALLCENTRE_CSV)[0]) == ["label", "role", "kind", "text"]
    assert len(rows) >= 1000
    assert all(row["text"] and row["text"] == row["text"].strip() for row in rows)


def test_heldout_values_are_valid_and_balanced(rows: list[dict[str, str]]) -> None:
    assert {row["label"] for row in rows} == LABELS
    assert {row["role"] for row in rows} == ROLES
    assert {row["kind"] for row in rows} == KINDS
    by_label = Counter(row["label"] for row in rows)
    assert min(by_label.values()) >= len(rows) / 4


def test_heldout_has_no_duplicates(rows: list[dict[str, str]]) -> None:
    texts = [normalise(row["text"]) for row in rows]
    assert all(texts)
    assert [text for text, n in Counter(texts).items() if n > 1] == []


def test_heldout_does_not_overlap_the_training_utterances(rows: list[dict[str, str]]) -> None:
    training = {normalise(row["text"]) for row in read_rows(CALLCENTRE_CSV)}
    assert [row["text"] for row in rows if normalise(row["text"]) in training] == []


def _open_text(path: Path) -> TextIO:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _review_texts(data_dir: Path) -> set[str]:
    texts: set[str] = set()
    for path in sorted(data_dir.glob("*.csv*")):
        with _open_text(path) as handle:
            texts.update(normalise(row.get("review") or "") for row in csv.DictReader(handle))
    return texts


def test_heldout_does_not_overlap_the_review_corpora(rows: list[dict[str, str]]) -> None:
    if not DEFAULT_DATA_DIR.is_dir():
        pytest.skip(f"review corpora not found at {DEFAULT_DATA_DIR}")
    reviews = _review_texts(DEFAULT_DATA_DIR)
    assert [row["text"] for row in rows if normalise(row["text"]) in reviews] == []
