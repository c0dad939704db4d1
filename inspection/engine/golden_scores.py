"""Score rule findings against golden labels: per-rule counts, P/R/F1, macro-F1, veto precision,
and every false positive and false negative with what a reviewer needs to judge it.

A rule *fires* on a conversation when the verdict holds at least one finding with that rule id.
Per rule, only the conversations that label it count (`labels[rule_id]` true or false; absent =
not labelled):

    tp = labelled true and fired      fp = labelled false and fired
    fn = labelled true, not fired     tn = labelled false, not fired

    precision = tp / (tp + fp), or 1.0 when the rule never fired (no false alarm to count)
    recall    = tp / (tp + fn), or 1.0 when no conversation is labelled true (nothing to find)
    F1        = 2·tp / (2·tp + fp + fn), or 1.0 when tp + fp + fn = 0 (every label agrees)

(F1 by counts equals the harmonic mean of P and R whenever both have a denominator, and is 0
when tp = 0 and anything went wrong.) Macro-F1 is the plain mean of the per-rule F1 over the
rules labelled in at least one conversation. Veto precision: among the (conversation, rule)
pairs where a finding with `veto: true` fired and the conversation labels that rule, the share
labelled true; 1.0 when no such veto fired. Vetoes on rules a conversation does not label are
not counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from inspection.types import Conversation, Finding, InspectionResult

MistakeKind = Literal["fp", "fn"]


@dataclass(frozen=True)
class LabelledOutcome:
    """One golden conversation after inspection: its labels, notes and the pipeline's verdict
    (on the conversation as inspected, i.e. redacted)."""

    conversation: Conversation
    labels: Mapping[str, bool]
    notes: str | None
    source: str
    result: InspectionResult

    def findings_of(self, rule_id: str) -> list[Finding]:
        return [finding for finding in self.result.findings if finding.rule_id == rule_id]


@dataclass(frozen=True)
class RuleScore:
    """One rule's confusion counts over the conversations that label it."""

    rule_id: str
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def positives(self) -> int:
        """Conversations labelled true for this rule (标注正例)."""
        return self.tp + self.fn

    @property
    def labelled(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        wrong = self.fp + self.fn
        return 2 * self.tp / (2 * self.tp + wrong) if self.tp + wrong else 1.0


@dataclass(frozen=True)
class FiredEvidence:
    """One finding behind a false positive: where it points and what it matched."""

    utterance_index: int | None
    role: str | None
    utterance_text: str | None
    matched_text: str | None
    explanation: str


@dataclass(frozen=True)
class Mistake:
    """A false positive (with every finding of the rule) or a false negative (with the notes)."""

    kind: MistakeKind
    rule_id: str
    conversation_id: str
    source: str
    evidence: tuple[FiredEvidence, ...] = ()
    notes: str | None = None


@dataclass(frozen=True)
class Evaluation:
    """The figures of one golden set under one rule set."""

    conversations: int
    rules: tuple[RuleScore, ...]
    vetoes: int
    correct_vetoes: int
    mistakes: tuple[Mistake, ...]

    @property
    def macro_f1(self) -> float:
        return sum(score.f1 for score in self.rules) / len(self.rules) if self.rules else 1.0

    @property
    def veto_precision(self) -> float:
        return self.correct_vetoes / self.vetoes if self.vetoes else 1.0

    def rule(self, rule_id: str) -> RuleScore | None:
        return next((score for score in self.rules if score.rule_id == rule_id), None)


def score_outcomes(outcomes: Sequence[LabelledOutcome]) -> Evaluation:
    """Count, per labelled rule (in first-labelled order), and collect the mistakes."""
    rule_ids = list(dict.fromkeys(rule_id for o in outcomes for rule_id in o.labels))
    counts = {rule_id: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for rule_id in rule_ids}
    mistakes: list[Mistake] = []
    vetoes = correct_vetoes = 0
    for outcome in outcomes:
        for rule_id, expected in outcome.labels.items():
            findings = outcome.findings_of(rule_id)
            counts[rule_id][_cell(expected, bool(findings))] += 1
            if any(finding.veto for finding in findings):
                vetoes += 1
                correct_vetoes += expected
            if bool(findings) != expected:
                mistakes.append(_mistake(outcome, rule_id, findings))
    scores = tuple(RuleScore(rule_id, **counts[rule_id]) for rule_id in rule_ids)
    return Evaluation(len(outcomes), scores, vetoes, correct_vetoes, tuple(mistakes))


def _cell(expected: bool, fired: bool) -> str:
    if fired:
        return "tp" if expected else "fp"
    return "fn" if expected else "tn"


def _mistake(outcome: LabelledOutcome, rule_id: str, findings: list[Finding]) -> Mistake:
    conversation_id = outcome.conversation.id
    if not findings:
        return Mistake("fn", rule_id, conversation_id, outcome.source, notes=outcome.notes)
    evidence = tuple(_evidence(outcome.conversation, finding) for finding in findings)
    return Mistake("fp", rule_id, conversation_id, outcome.source, evidence=evidence)


def _evidence(conversation: Conversation, finding: Finding) -> FiredEvidence:
    spot = finding.evidence
    if spot is None:  # a conversation-level finding (e.g. a required phrase never said)
        return FiredEvidence(None, None, None, None, finding.explanation)
    utterances = conversation.utterances
    text = utterances[spot.utterance_index].text if spot.utterance_index < len(utterances) else None
    return FiredEvidence(spot.utterance_index, spot.role, text, spot.text, finding.explanation)


def evaluation_to_dict(evaluation: Evaluation) -> dict[str, Any]:
    """The JSON shape of `zhijian rules eval --format json` (English keys, stable)."""
    return {
        "conversations": evaluation.conversations,
        "rules": {score.rule_id: rule_score_to_dict(score) for score in evaluation.rules},
        "macro_f1": evaluation.macro_f1,
        "veto_precision": evaluation.veto_precision,
        "vetoes": evaluation.vetoes,
        "correct_vetoes": evaluation.correct_vetoes,
        "errors": [mistake_to_dict(mistake) for mistake in evaluation.mistakes],
    }


def rule_score_to_dict(score: RuleScore) -> dict[str, Any]:
    return {"positives": score.positives, "labelled": score.labelled, "tp": score.tp,
            "fp": score.fp, "fn": score.fn, "tn": score.tn, "precision": score.precision,
            "recall": score.recall, "f1": score.f1}


def mistake_to_dict(mistake: Mistake) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": mistake.kind, "rule_id": mistake.rule_id,
                            "conversation_id": mistake.conversation_id, "source": mistake.source}
    if mistake.kind == "fp":
        data["evidence"] = [
            {"utterance_index": e.utterance_index, "role": e.role, "text": e.utterance_text,
             "matched": e.matched_text, "explanation": e.explanation} for e in mistake.evidence]
    else:
        data["notes"] = mistake.notes
    return data


__all__ = ["Evaluation", "FiredEvidence", "LabelledOutcome", "Mistake", "RuleScore",
           "evaluation_to_dict", "score_outcomes"]
