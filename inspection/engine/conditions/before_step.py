"""`before_step`: an event that comes before the step it needs, e.g. account details said
before identity is verified.

`event` and `step` are any conditions, evaluated in the rule's context; only their hits located
at an utterance count. The step is done at its first located hit — with `answered_by`, only
once a turn of that role follows it (the customer answered what the agent asked; a question
left unanswered, or an offer to verify "later", is no step), or at once when the hit is in such
a turn (the customer gave the fact unasked). Every event hit before that point is a hit: in an
earlier utterance, in the step's own utterance before its words, or (with `answered_by`) in any
utterance before the answer. With the step never done, every event hit is a hit.

Unlike `order` (phrase lists on both sides), the event may itself be a composite — a
`proximity` of account words and an `@amount` — and the step may need an answer.

Example: an account noun near an amount, said before the agent asked for and got an identity
fact::

    type: before_step
    event: {type: proximity, a: [账单, 余额, 欠款], b: ["@amount", "@account_tail"],
            max_distance: 10}
    step: {type: keyword, keywords: [身份证后四位, 预留手机号, 核实一下您的身份]}
    answered_by: customer
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from inspection.engine.base import ConditionModel, RoleScope
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit

if TYPE_CHECKING:
    # At run time `Condition` is the registry's discriminated union of every condition type,
    # given by its `model_rebuild`; to a type checker, any condition model.
    from inspection.engine.base import ConditionModel as Condition

TYPE = "before_step"

# A point in the call: (utterance index, offset in its text).
Position = tuple[int, int]
NEVER: Position = (10**9, 0)


class BeforeStepCondition(ConditionModel):
    type: Literal["before_step"]
    event: Condition
    step: Condition
    answered_by: RoleScope | None = None

    def subconditions(self) -> tuple[ConditionModel, ...]:
        return (self.event, self.step)


Model = BeforeStepCondition


def check(condition: BeforeStepCondition, context: CheckContext) -> Iterator[Hit]:
    events = [hit for hit in context.evaluate(condition.event) if hit.utterance_index is not None]
    done = _step_done(condition, context) if events else NEVER  # no event: the step is moot
    for hit in events:
        assert hit.utterance_index is not None
        if (hit.utterance_index, hit.start) < done:
            yield Hit(f"{hit.explanation}（在必要步骤之前）", hit.utterance_index, hit.start,
                      hit.end, hit.text)


def _step_done(condition: BeforeStepCondition, context: CheckContext) -> Position:
    """Where the step is first done: at its first located hit, or (with `answered_by`) at the
    first turn of that role after a hit — at once when the hit is in such a turn."""
    hits = [hit for hit in context.evaluate(condition.step) if hit.utterance_index is not None]
    if condition.answered_by is None:
        return min(((h.utterance_index, h.start) for h in hits if h.utterance_index is not None),
                   default=NEVER)
    answers = [u.index for u in context.scoped(condition.answered_by)]
    done = (_answer(hit.utterance_index, answers) for hit in hits
            if hit.utterance_index is not None)
    return min(done, default=NEVER)


def _answer(index: int, answers: list[int]) -> Position:
    """The first answer at or after utterance `index` (an answer turn answers itself)."""
    position = bisect_left(answers, index)
    return (answers[position], 0) if position < len(answers) else NEVER
