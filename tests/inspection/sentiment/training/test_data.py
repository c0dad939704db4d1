import csv
from collections import Counter
from importlib import resources
from pathlib import Path

from inspection.sentiment.training.dataset import (
    CALLCENTRE_CSV,
    Dataset,
    Example,
    callcentre_split,
    deduplicate,
    load_callcentre,
    load_heldout,
    review_split,
    text_bucket,
)


def test_callcentre_utterances_are_package_data() -> None:
    packaged = resources.files("inspection.sentiment.training") / "data" / "callcentre_utterances.csv"
    assert packaged.is_file() and Path(str(packaged)) == CALLCENTRE_CSV


def test_callcentre_utterances_are_well_formed() -> None:
    with CALLCENTRE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 300
    assert {row["label"] for row in rows} == {"negative", "neutral", "positive"}
    assert {row["role"] for row in rows} == {"agent", "customer"}
    assert all(row["text"].strip() for row in rows)
    assert len({row["text"] for row in rows}) == len(rows)
    by_label = Counter(row["label"] for row in rows)
    assert min(by_label.values()) >= 50


def test_split_is_a_function_of_the_text() -> None:
    assert text_bucket("我要投诉") == text_bucket("我要投诉")
    assert 0 <= text_bucket("x") < 100
    splits = Counter(review_split(f"评论{i}") for i in range(5000))
    assert 400 < splits["test"] < 600 and 400 < splits["dev"] < 600
    calls = Counter(callcentre_split(example.text) for example in load_callcentre())
    assert set(calls) == {"train", "dev", "test"}
    assert calls["dev"] >= 100  # enough to select on beside review dev


def test_heldout_rows_never_repeat_a_dataset_text(tmp_path) -> None:
    dataset = Dataset((), (), (), (Example("我要投诉", "negative", "callcentre"),), ())
    heldout = tmp_path / "heldout.csv"
    heldout.write_text("label,role,kind,text\nnegative,customer,x,我要投诉\nneutral,customer,x,查下账单\n",
                       encoding="utf-8")
    assert [e.text for e in load_heldout(dataset, heldout)] == ["查下账单"]
    assert load_heldout(dataset, tmp_path / "absent.csv") == ()


def test_deduplicate_drops_conflicting_labels() -> None:
    examples = [
        Example("好", "positive", "a"),
        Example("好", "positive", "b"),
        Example("一般", "positive", "a"),
        Example("一般", "negative", "b"),
    ]
    assert deduplicate(examples) == [Example("好", "positive", "a")]
