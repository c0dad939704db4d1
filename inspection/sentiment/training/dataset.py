"""Labelled texts for training and benchmarking the sentiment model, with a stable split.

Two sources:

- the public review corpora in ``../shared/data/sentiment/`` beside the checkout (binary:
  0 negative, 1 positive; ``--data-dir`` points elsewhere);
- ``data/callcentre_utterances.csv`` in this package (package data, found with
  `importlib.resources`): spoken call-centre turns written for zhijian, labelled negative /
  neutral / positive, customer and agent turns.

``data/callcentre_heldout.csv`` (same columns) is a third, test-only set of call-centre turns,
written before the shipped model was trained: nothing trains or selects on it
(`load_heldout`; rows whose text also appears in the other two sources are left out).

The split is a pure function of each text (an MD5 bucket), so it does not depend on row order,
file order or a random generator, and the training script and the benchmark always agree on it.
Duplicate texts are kept once; texts whose copies disagree on the label are dropped.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from inspection.types import SentimentLabel

Split = Literal["train", "dev", "test"]

# The review corpora are not shipped: by default they sit beside the checkout this file is in.
REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "sentiment"
PACKAGE_DATA = resources.files("inspection.sentiment.training") / "data"
CALLCENTRE_CSV = Path(str(PACKAGE_DATA / "callcentre_utterances.csv"))  # on disk, wheel or checkout
CALLCENTRE_HELDOUT_CSV = Path(str(PACKAGE_DATA / "callcentre_heldout.csv"))  # test only
REVIEW_FILES = ("ChnSentiCorp_htl_all.csv", "waimai_10k.csv", "online_shopping_10_cats.csv.gz")

#: Percent of review texts in the dev and test splits (the rest trains).
REVIEW_DEV_PERCENT = 10
REVIEW_TEST_PERCENT = 10
#: Percent of call-centre utterances held out for testing, and (the next buckets) for the dev
#: split that model selection reads beside review dev; the rest trains.
CALLCENTRE_TEST_PERCENT = 40
CALLCENTRE_DEV_PERCENT = 15

CALLCENTRE_SOURCE = "callcentre"

BINARY_LABELS: dict[str, SentimentLabel] = {"0": "negative", "1": "positive"}


@dataclass(frozen=True)
class Example:
    """One labelled text and where it came from."""

    text: str
    label: SentimentLabel
    source: str
    role: str = ""


@dataclass(frozen=True)
class Dataset:
    """Every labelled example, split: reviews and call-centre turns into train/dev/test."""

    review_train: tuple[Example, ...]
    review_dev: tuple[Example, ...]
    review_test: tuple[Example, ...]
    callcentre_train: tuple[Example, ...]
    callcentre_test: tuple[Example, ...]
    callcentre_dev: tuple[Example, ...] = ()

    def sizes(self) -> dict[str, int]:
        return {name: len(getattr(self, name)) for name in self.__dataclass_fields__}


def text_bucket(text: str) -> int:
    """A stable bucket 0–99 for a text: the split key."""
    return int(hashlib.md5(text.encode("utf-8")).hexdigest()[:8], 16) % 100


def review_split(text: str) -> Split:
    bucket = text_bucket(text)
    if bucket < REVIEW_TEST_PERCENT:
        return "test"
    if bucket < REVIEW_TEST_PERCENT + REVIEW_DEV_PERCENT:
        return "dev"
    return "train"


def callcentre_split(text: str) -> Split:
    bucket = text_bucket(text)
    if bucket < CALLCENTRE_TEST_PERCENT:
        return "test"
    return "dev" if bucket < CALLCENTRE_TEST_PERCENT + CALLCENTRE_DEV_PERCENT else "train"


def _open_csv(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8")


def load_reviews(data_dir: Path) -> list[Example]:
    """Every review in the public corpora, deduplicated, as negative/positive examples."""
    examples: list[Example] = []
    for name in REVIEW_FILES:
        path = data_dir / name
        if not path.is_file():
            raise FileNotFoundError(f"{path} not found: pass --data-dir pointing at the corpora")
        with _open_csv(path) as handle:
            for row in csv.DictReader(handle):
                text = (row.get("review") or "").strip()
                label = BINARY_LABELS.get((row.get("label") or "").strip())
                if text and label:
                    examples.append(Example(text=text, label=label, source=name))
    return deduplicate(examples)


def load_callcentre(path: Path = CALLCENTRE_CSV) -> list[Example]:
    """The call-centre utterances shipped in this package."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    examples = [
        Example(text=row["text"].strip(), label=row["label"], source=CALLCENTRE_SOURCE, role=row["role"])  # type: ignore[arg-type]
        for row in rows
    ]
    return deduplicate(examples)


def training_examples(dataset: Dataset, repeat: int) -> list[Example]:
    """Reviews plus the call-centre training utterances repeated `repeat` times (they are few)."""
    return [*dataset.review_train, *(list(dataset.callcentre_train) * repeat)]


def deduplicate(examples: Iterable[Example]) -> list[Example]:
    """Keep the first copy of each text; drop texts whose copies carry different labels."""
    first: dict[str, Example] = {}
    conflicting: set[str] = set()
    for example in examples:
        kept = first.setdefault(example.text, example)
        if kept.label != example.label:
            conflicting.add(example.text)
    return [example for text, example in first.items() if text not in conflicting]


def load_dataset(data_dir: Path = DEFAULT_DATA_DIR, callcentre_csv: Path = CALLCENTRE_CSV) -> Dataset:
    """Load both sources and split them by text bucket."""
    reviews = load_reviews(data_dir)
    callcentre = load_callcentre(callcentre_csv)
    review_texts = {example.text for example in reviews}
    callcentre = [example for example in callcentre if example.text not in review_texts]
    return Dataset(
        review_train=_where(reviews, review_split, "train"),
        review_dev=_where(reviews, review_split, "dev"),
        review_test=_where(reviews, review_split, "test"),
        callcentre_train=_where(callcentre, callcentre_split, "train"),
        callcentre_test=_where(callcentre, callcentre_split, "test"),
        callcentre_dev=_where(callcentre, callcentre_split, "dev"),
    )


def load_heldout(dataset: Dataset, path: Path = CALLCENTRE_HELDOUT_CSV) -> tuple[Example, ...]:
    """The test-only call-centre turns of `path` (empty when the file is absent), less any text
    that is also in `dataset`."""
    if not path.is_file():
        return ()
    seen = {e.text for name in dataset.__dataclass_fields__ for e in getattr(dataset, name)}
    return tuple(e for e in load_callcentre(path) if e.text not in seen)


def _where(
    examples: Sequence[Example], split_of: Callable[[str], Split], split: Split
) -> tuple[Example, ...]:
    return tuple(example for example in examples if split_of(example.text) == split)


def split_digest(examples: Sequence[Example]) -> str:
    """A short fingerprint of a split's texts, recorded with the metrics to detect drift."""
    digest = hashlib.sha256()
    for text in sorted(example.text for example in examples):
        digest.update(text.encode("utf-8") + b"\n")
    return digest.hexdigest()[:16]
