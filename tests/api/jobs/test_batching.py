"""`SharedBatches`: concurrent jobs share model calls and each gets exactly its own results."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.jobs.batching import SharedBatches
from inspection.sentiment import LexiconSentiment, load_sentiment_model
from inspection.types import SentimentResult

TEXTS = [["太差了，我要投诉", "好的"], ["谢谢你"], [], ["气死我了", "算了", "行吧"], ["我想查账单"]]


class SlowAnalyzer:
    """The lexicon, slowly (so that callers pile up), recording each call's texts."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail_on = fail_on
        self.lexicon = LexiconSentiment()
        self._lock = threading.Lock()

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        with self._lock:
            self.calls.append(list(texts))
        time.sleep(0.05)
        if self.fail_on is not None and self.fail_on in texts:
            raise RuntimeError(f"cannot analyse {self.fail_on}")
        return self.lexicon.predict(texts)


def concurrently(analyzer: SharedBatches, requests: list[list[str]]) -> list[object]:
    """Each request from its own thread, all released at once; a result or the exception."""
    barrier = threading.Barrier(len(requests))

    def one(texts: list[str]) -> object:
        barrier.wait()
        try:
            return analyzer.predict(texts)
        except RuntimeError as error:
            return error

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(one, requests))


def test_a_lone_caller_gets_one_call_of_its_own() -> None:
    slow = SlowAnalyzer()
    assert SharedBatches(slow).predict(["好的", "太差了"]) == LexiconSentiment().predict(
        ["好的", "太差了"])
    assert slow.calls == [["好的", "太差了"]]


def test_concurrent_callers_share_calls_and_get_their_own_results() -> None:
    slow = SlowAnalyzer()
    results = concurrently(SharedBatches(slow), TEXTS * 4)
    lexicon = LexiconSentiment()
    assert results == [lexicon.predict(texts) for texts in TEXTS * 4]
    assert len(slow.calls) < len(TEXTS * 4)  # shared: fewer model calls than callers
    assert sorted(t for call in slow.calls for t in call) == sorted(
        t for texts in TEXTS * 4 for t in texts)  # every text analysed exactly once


def test_a_failing_text_fails_only_its_own_caller() -> None:
    slow = SlowAnalyzer(fail_on="算了")
    results = concurrently(SharedBatches(slow), TEXTS * 2)
    lexicon = LexiconSentiment()
    for texts, result in zip(TEXTS * 2, results, strict=True):
        if "算了" in texts:
            assert isinstance(result, RuntimeError)
        else:
            assert result == lexicon.predict(texts)


class Interrupted(BaseException):
    pass


def test_callers_whose_texts_were_lost_with_an_interrupted_call_raise() -> None:
    """A model call killed by a BaseException: its own caller sees that; the callers whose
    texts it took along get an error too, never an empty result."""
    first_call, release = threading.Event(), threading.Event()
    calls: list[list[str]] = []

    class Blocking:
        def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
            calls.append(list(texts))
            if len(calls) == 1:
                first_call.set()
                release.wait(5)
                return LexiconSentiment().predict(texts)
            raise Interrupted

    shared = SharedBatches(Blocking())
    outcomes: dict[str, object] = {}

    def call(name: str) -> None:
        try:
            outcomes[name] = shared.predict([name])
        except BaseException as error:  # recording what each caller saw
            outcomes[name] = error

    first = threading.Thread(target=call, args=("一",))
    first.start()
    first_call.wait(5)
    others = [threading.Thread(target=call, args=(name,)) for name in ("二", "三")]
    for thread in others:
        thread.start()
    while len(shared._pending) < 2:  # both queued behind the first call
        time.sleep(0.001)
    release.set()
    for thread in [first, *others]:
        thread.join(5)
    assert outcomes["一"] == LexiconSentiment().predict(["一"])
    assert sorted(type(outcomes[name]).__name__ for name in ("二", "三")) == [
        "Interrupted", "RuntimeError"]


@pytest.mark.slow
def test_shared_model_calls_give_the_same_results_as_one_by_one() -> None:
    model = load_sentiment_model(threads=1)
    conversations = [["你们这什么破服务，我要投诉", "好的，谢谢你", "嗯"],
                     ["我的卡被盗刷了怎么办"], ["行吧，那就这样", "算了，气死我了"]] * 3
    alone = [model.predict(texts) for texts in conversations]
    shared = concurrently(SharedBatches(model), conversations)
    for expected, got in zip(alone, shared, strict=True):
        assert isinstance(got, list)
        assert [r.label for r in got] == [r.label for r in expected]
        assert [r.score for r in got] == pytest.approx([r.score for r in expected], abs=1e-4)
