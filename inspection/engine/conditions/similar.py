"""`similar`: the scoped role says something close in meaning to one of the rule's example
sentences, by a sentence encoder (see `inspection.embeddings`), for behaviour no word list
can enumerate ("讲几遍了你还听不懂", "就你这样的还想贷款").

Exactly: each scoped utterance's normalised text is cut into clauses (at ， and 。 and before
a connective token such as 但是/所以/然后; a piece shorter than `MIN_CLAUSE_CHARS` characters
joins the next), and each clause is embedded. A clause matches when

- its best cosine with the `sentences` is at least `threshold`, and
- its best cosine with the `counter_sentences` (if any) is below that best sentence cosine
  (it is nearer to a sentence than to every counter-sentence).

With `negation: true` a clause is compared only with the sentences and counter-sentences of its
own polarity: negated (it holds a negation cue of the keyword engine, 不/没/别/不会/谁也不 …, not
counting 不好意思, 非常 …) or not. So "这个产品不保本" never matches "这个产品保本". Off by
default: natural paraphrases often change the cue ("请稍等" / "您别挂机"); turn it on where the
negated sentence is the correct behaviour (promises, requests for secrets).

Each utterance with a matching clause is one hit, on its best clause; the explanation names the
nearest sentence and the cosine (「与示例『…』相似度 0.81」). The encoder is shared, each clause is
embedded once per conversation for every rule, and a conversation where no `similar` condition
is in scope embeds nothing.

Example::

    type: similar
    sentences: [讲几遍了你还听不懂, 你自己不会看说明书吗, 这事你找物流去跟我们没关系]
    counter_sentences: [没关系我再给您讲一遍]
    threshold: 0.6
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import cached_property
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, field_validator

from inspection.embeddings import Vectors
from inspection.engine.base import ConditionModel, RoleScope
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.matching import NEGATION_CUES, NOT_NEGATION, SHORT_NEGATION_CUES
from inspection.engine.window import Window
from inspection.text import PreparedUtterance, normalise

TYPE = "similar"

# A clause shorter than this ("好的", "讲几遍了") is joined to the next: alone it says too little.
MIN_CLAUSE_CHARS = 5
# Tokens that start a new clause in unpunctuated ASR text.
CONNECTIVES = frozenset({"但是", "可是", "不过", "所以", "然后", "而且", "另外", "因为", "如果"})
_CLAUSE = re.compile(r"[^，。]+")
_NOT_NEGATION = re.compile("|".join(map(re.escape, sorted(NOT_NEGATION, key=len, reverse=True))))
_NEGATION = re.compile("|".join(map(re.escape, (*NEGATION_CUES, *SHORT_NEGATION_CUES))))


class SimilarCondition(ConditionModel):
    type: Literal["similar"]
    sentences: list[str] = Field(min_length=1)
    counter_sentences: list[str] = Field(default_factory=list)
    threshold: float = Field(default=0.6, gt=0, le=1)
    negation: bool = False
    role: RoleScope | None = None
    window: Window | None = None

    @field_validator("sentences", "counter_sentences")
    @classmethod
    def _not_blank(cls, sentences: list[str]) -> list[str]:
        if any(not normalise(sentence) for sentence in sentences):
            raise ValueError("示例句不能为空 (blank sentence)")
        return sentences

    @cached_property
    def normalised(self) -> tuple[str, ...]:
        """Sentences then counter-sentences, normalised as utterances are: one encoder call."""
        return tuple(normalise(s) for s in (*self.sentences, *self.counter_sentences))

    @cached_property
    def polarity(self) -> NDArray[np.bool_]:
        """Whether each of `normalised` is negated (see `is_negated_clause`)."""
        return np.array([is_negated_clause(text) for text in self.normalised], dtype=bool)


Model = SimilarCondition


class Clause(NamedTuple):
    utterance: PreparedUtterance
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.utterance.text[self.start:self.end]


def check(condition: SimilarCondition, context: CheckContext) -> Iterator[Hit]:
    clauses = [clause for utterance in context.scoped(condition.role, condition.window)
               for clause in clauses_of(utterance)]
    if not clauses:
        return
    vectors = context.embeddings.vectors([clause.text for clause in clauses])
    scores = vectors @ context.embeddings.example_vectors(condition.normalised).T
    if condition.negation:
        polarity = np.array([is_negated_clause(clause.text) for clause in clauses], dtype=bool)
        scores[polarity[:, None] != condition.polarity[None, :]] = -np.inf
    best = _best_per_utterance(condition, clauses, scores)
    for index, (clause, score, sentence) in best.items():
        yield Hit(f"与示例『{condition.sentences[sentence]}』相似度 {score:.2f}", index,
                  clause.start, clause.end, clause.text)


def _best_per_utterance(condition: SimilarCondition, clauses: list[Clause], scores: Vectors
                        ) -> dict[int, tuple[Clause, float, int]]:
    """Utterance index → (its best matching clause, the cosine, the nearest sentence's index)."""
    count = len(condition.sentences)
    nearest = scores[:, :count].argmax(axis=1)
    best = scores[np.arange(len(clauses)), nearest]
    counter = scores[:, count:].max(axis=1) if condition.counter_sentences else None
    matches = best >= condition.threshold
    if counter is not None:
        matches &= counter < best
    found: dict[int, tuple[Clause, float, int]] = {}
    for row in np.flatnonzero(matches):
        clause, score = clauses[row], float(best[row])
        index = clause.utterance.index
        if index not in found or score > found[index][1]:
            found[index] = (clause, score, int(nearest[row]))
    return found


def clauses_of(utterance: PreparedUtterance) -> list[Clause]:
    """The utterance's clauses (see the module docstring), as spans of its normalised text."""
    starts = {token.start for token in utterance.tokens if token.word in CONNECTIVES}
    pieces: list[tuple[int, int]] = []
    for match in _CLAUSE.finditer(utterance.text):
        cuts = [match.start(), *sorted(s for s in starts if match.start() < s < match.end()),
                match.end()]
        pieces += [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    clauses: list[Clause] = []
    pending: int | None = None
    for start, end in pieces:
        start = start if pending is None else pending
        if end - start < MIN_CLAUSE_CHARS:
            pending = start
            continue
        pending = None
        clauses.append(Clause(utterance, start, end))
    if pending is not None:
        last_end = pieces[-1][1]
        if clauses:
            clauses[-1] = Clause(utterance, clauses[-1].start, last_end)
        else:
            clauses.append(Clause(utterance, pending, last_end))
    return [clause for clause in clauses if clause.text.strip()]


def is_negated_clause(text: str) -> bool:
    """True when the text holds a negation cue, words that only look negative masked."""
    return _NEGATION.search(_NOT_NEGATION.sub("＿", text)) is not None
