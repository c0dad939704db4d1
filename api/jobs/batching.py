"""Sentiment for concurrent jobs in shared model calls.

Each in-process job thread needs sentiment for one conversation's turns. One model call over
several conversations' texts costs much less than one call each (the model sorts them by
length, so there is less padding, and the per-call overhead is paid once), so `SharedBatches`
hands the texts of every job waiting for the model to a single call: the thread that gets the
model takes all pending requests with it. Nothing waits for a batch to fill: a lone job runs
at once. Results are the analyzer's own, split back per request, so a job gets exactly what a
call of its own would have given.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from inspection.types import SentimentAnalyzer, SentimentResult


@dataclass
class _Request:
    texts: list[str]
    results: list[SentimentResult] = field(default_factory=list)
    error: Exception | None = None
    done: bool = False


class SharedBatches:
    """A `SentimentAnalyzer` that runs the concurrent callers' texts in one model call."""

    def __init__(self, analyzer: SentimentAnalyzer) -> None:
        self.analyzer = analyzer
        self._model = threading.Lock()  # one model call at a time
        self._queue = threading.Lock()  # guards _pending
        self._pending: list[_Request] = []

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        request = _Request(list(texts))
        with self._queue:
            self._pending.append(request)
        with self._model:
            with self._queue:  # ours, unless an earlier caller's model call took it along
                batch, self._pending = self._pending, []
            if batch:
                self._run(batch)
        if request.error is not None:
            raise request.error
        if not request.done:  # the call that took it along was interrupted
            raise RuntimeError("sentiment call interrupted; run the job again")
        return request.results

    def _run(self, batch: list[_Request]) -> None:
        try:
            results = self.analyzer.predict([text for request in batch for text in request.texts])
        except Exception as error:
            if len(batch) == 1:
                batch[0].error, batch[0].done = error, True
            else:  # whose texts failed? each request alone, each with its own outcome
                for request in batch:
                    self._run([request])
            return
        start = 0
        for request in batch:
            request.results = results[start:start + len(request.texts)]
            request.done = True
            start += len(request.texts)
