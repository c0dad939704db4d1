"""`similar`: the scoped role says something close in meaning to one of the rule's example
sentences, by a sentence encoder (see `inspection.embeddings`), for behaviour no word list
can enumerate ("讲几遍了你还听不懂", "就你这样的还想贷款").

Exactly: each scoped utterance's normalised text is cut into the clauses the keyword engine
uses (`PreparedUtterance.clause_starts`: punctuation, connectives such as 但是/所以/然后,
sentence-final particles; a piece shorter than `MIN_CLAUSE_CHARS` characters joins the next),
and each clause is embedded. A clause matches when

- its best cosine with the `sentences` is at least `threshold`, and
- its best cosine with the `counter_sentences` (if any) is below that best sentence cosine
  (it is nearer to a sentence than to every counter-sentence).

With `negation: true` a clause is compared only with the sentences and counter-sentences of its
own polarity: negated (it holds a negation cue of `engine.negation`, 不/没/别/不会/任何…都不 …,
not counting 不好意思, 非常, 没关系 …) or not. So "这个产品不保本" never matches "这个产品保本".
Off by default: natural paraphrases often change the cue ("请稍等" / "您别挂机"); turn it on
where the negated sentence is the correct behaviour (promises, requests for secrets).
With `frames` (`true` for the default cues, or a list, as for keywords: `engine.frames`), a clause
within reach of a warning or anti-fraud cue in its sentence ("提醒您", "谨防", "骗子") does not count.

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
from inspection.engine.frames import DEFAULT_FRAMES, compile_frames, in_frame
from inspection.engine.hits import Hit
from inspection.engine.negation import (
    DISCONTINUOUS_CUES,
    NEGATION_CUES,
    SHORT_NEGATION_CUES,
    mask_false_cues,
)
from inspection.engine.window import Window
from inspection.text import CLAUSE_PUNCTUATION, PreparedUtterance, normalise

TYPE = "similar"

# A clause shorter than this ("好的", "讲几遍了") is joined to the next: alone it says too little.
MIN_CLAUSE_CHARS = 5
_NEGATION = re.compile("|".join([*map(re.escape, (*NEGATION_CUES, *SHORT_NEGATION_CUES)),
                                  *DISCONTINUOUS_CUES]))


class SimilarCondition(ConditionModel):
    type: Literal["similar"]
    sentences: list[str] = Field(min_length=1)
    counter_sentences: list[str] = Field(default_factory=list)
    threshold: float = Field(default=0.6, gt=0, le=1)
    negation: bool = False
    frames: bool | list[str] = False
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
    def frame_pattern(self) -> re.Pattern[str] | None:
        """The compiled frame cues, None when `frames` is off."""
        if self.frames is False or self.frames == []:
            return None
        return compile_frames(DEFAULT_FRAMES if self.frames is True else self.frames)

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
               for clause in clauses_of(utterance) if not _framed(condition, clause)]
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


def _framed(condition: SimilarCondition, clause: Clause) -> bool:
    """A frame cue in the clause's sentence within reach of either end of it."""
    frames, text = condition.frame_pattern, clause.utterance.text
    return frames is not None and (in_frame(text, clause.start, clause.start, frames)
                                   or in_frame(text, clause.end, clause.end, frames))


def clauses_of(utterance: PreparedUtterance) -> list[Clause]:
    """The utterance's clauses (see the module docstring), as spans of its normalised text."""
    text = utterance.text
    bounds = [*utterance.clause_starts, len(text)]
    pieces = [(start, _strip_end(text, start, end))
              for start, end in itertools.pairwise(bounds)]
    clauses: list[Clause] = []
    pending: int | None = None
    for start, end in (piece for piece in pieces if piece[1] > piece[0]):
        start = start if pending is None else pending
        if end - start < MIN_CLAUSE_CHARS:
            pending = start
            continue
        pending = None
        clauses.append(Clause(utterance, start, end))
    if pending is not None:
        end = _strip_end(text, pending, len(text))
        if clauses:
            clauses[-1] = Clause(utterance, clauses[-1].start, end)
        elif end > pending:
            clauses.append(Clause(utterance, pending, end))
    return clauses


def _strip_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1] in CLAUSE_PUNCTUATION or text[end - 1].isspace()):
        end -= 1
    return end


def is_negated_clause(text: str) -> bool:
    """True when the text holds a negation cue, words that only look negative masked."""
    return _NEGATION.search(mask_false_cues(text)) is not None
