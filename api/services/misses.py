"""What the machine missed: a reviewer records a missed finding (漏检) on a conversation, and
draws and closes review samples (抽检) of conversations the machine found clean.

A missed finding is a measurement, not a deduction: it feeds the recall estimate and the κ of
`api.services.agreement`, and does not change the conversation's score (publish a rule that
catches it and re-inspect the period). On a sampled conversation it closes the sample as
`missed`; "clean" closes it as `clean`; either way the conversation leaves the queue.
Every change is audited and committed before the function returns.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from api.services.access import Principal
from api.services.rule_versions import local_period
from inspection.engine import RuleSet
from inspection.errors import InvalidInputError
from inspection.redaction import redact_text
from inspection.scoring import ScoringPolicy
from models import Conversation
from models.errors import ConflictError, NotFoundError
from models.people import utc_now
from models.queries import append_audit, utterances_of
from models.repository import rescore
from models.repository.sampling import draw_samples, sample_of
from models.sampling import SAMPLE_CLEAN, SAMPLE_MISSED, SAMPLE_PENDING, MissedFinding, ReviewSample


def add_missed_finding(session: Session, policy: ScoringPolicy, rules: RuleSet,
                       principal: Principal, *, conversation_id: str, rule_id: str,
                       utterance_index: int | None, comment: str) -> MissedFinding:
    """Record that `rule_id` should have fired (on `utterance_index`, if given)."""
    row = principal.check_can_see(session.get(Conversation, conversation_id), conversation_id)
    if rules.get(rule_id) is None:
        raise InvalidInputError("rule_id", f"没有规则 {rule_id!r}（见 GET /api/rules）")
    turns = len(utterances_of(session, conversation_id=row.id))
    if utterance_index is not None and not 0 <= utterance_index < turns:
        raise InvalidInputError("utterance_index", f"会话只有 {turns} 句（0 至 {turns - 1}）")
    sample = sample_of(session, conversation_id=row.id)
    missed = MissedFinding(conversation_id=row.id, rule_id=rule_id,
                           utterance_index=utterance_index, comment=redact_text(comment)[0],
                           reviewer_id=principal.user_id, sample_id=sample.id if sample else None)
    session.add(missed)
    session.flush()
    append_audit(session, actor=principal.actor, action="finding.missed", entity="conversation",
                 entity_id=row.id, before=None,
                 after={"missed_finding": missed.id, "rule_id": rule_id,
                        "utterance_index": utterance_index, "sample": missed.sample_id})
    if sample is not None:
        _close(session, policy, principal, sample, row, SAMPLE_MISSED)
    session.commit()
    return missed


def close_sample(session: Session, policy: ScoringPolicy, principal: Principal, *,
                 conversation_id: str) -> ReviewSample:
    """The reviewer found nothing missed on a sampled conversation."""
    row = principal.check_can_see(session.get(Conversation, conversation_id), conversation_id)
    sample = sample_of(session, conversation_id=row.id)
    if sample is None:
        raise NotFoundError(f"会话 {conversation_id} 不在抽检样本中")
    if sample.outcome != SAMPLE_PENDING:
        raise ConflictError(f"会话 {conversation_id} 的抽检已复核（{sample.outcome}）")
    _close(session, policy, principal, sample, row, SAMPLE_CLEAN)
    session.commit()
    return sample


def _close(session: Session, policy: ScoringPolicy, principal: Principal, sample: ReviewSample,
           row: Conversation, outcome: str) -> None:
    before = sample.outcome
    sample.outcome = outcome if before == SAMPLE_PENDING else before
    sample.reviewed_by, sample.reviewed_at = principal.user_id, utc_now()
    session.add(sample)
    append_audit(session, actor=principal.actor, action="sample.reviewed", entity="conversation",
                 entity_id=row.id, before={"outcome": before}, after={"outcome": sample.outcome})
    rescore(session, row, policy, actor=principal.actor, reason=f"sample {sample.outcome}")


def draw(session: Session, principal: Principal, *, since: date, until: date, share: float
         ) -> list[ReviewSample]:
    """Draw the period's review sample (per team) into the queue; audited."""
    start, end = local_period(since, until)
    drawn = draw_samples(session, since=start, until=end, share=share, drawn_by=principal.actor)
    teams: dict[str, int] = {}
    for sample in drawn:
        teams[sample.team_id or "-"] = teams.get(sample.team_id or "-", 0) + 1
    append_audit(session, actor=principal.actor, action="samples.drawn", entity="sample",
                 entity_id=f"{since}/{until}", before=None,
                 after={"share": share, "drawn": len(drawn), "teams": teams})
    session.commit()
    return drawn
