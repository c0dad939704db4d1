"""Backtest: what a rule change would do to conversations already seen, before it is published.

    conversations ─┬─► Pipeline(baseline rules)  ─► verdicts before ─┐
                   └─► Pipeline(candidate rules) ─► verdicts after  ─┴─► BacktestDiff

Both sides run the full text stage of the one `inspection.pipeline.Pipeline` (redact →
preprocess → sentiment → rules → score); recordings are never transcribed again, the caller
passes text. The two pipelines share their models and compute sentiment once per text
(`MemoSentiment`). `zhijian rules backtest` and the service's dry run both call `backtest`, so
the command line, the API and the page report the same diff for the same packs and
conversations.

Per rule the diff counts the conversations it fired on before and after, and lists those newly
flagged and newly cleared with the utterance and the evidence; per conversation it lists score
and veto changes (a veto counts whether applied or awaiting confirmation); and the agents
affected by any of it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from inspection.engine import RuleSet
from inspection.errors import ZhijianError
from inspection.pipeline import Pipeline, PipelineResult
from inspection.types import Conversation, Finding, SentimentAnalyzer, SentimentResult


@dataclass(frozen=True)
class RuleHit:
    """Where a rule fired on one conversation: its first finding there."""

    conversation_id: str
    agent_id: str | None
    utterance_index: int | None
    utterance: str | None
    evidence: str | None
    explanation: str


@dataclass(frozen=True)
class RuleDiff:
    """One rule of either rule set: conversations it fired on before and after the change."""

    rule_id: str
    rule_name: str
    fired_before: int
    fired_after: int
    newly_flagged: tuple[RuleHit, ...] = ()
    newly_cleared: tuple[RuleHit, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.newly_flagged or self.newly_cleared)


@dataclass(frozen=True)
class VerdictChange:
    """A conversation whose score or vetoes (applied or pending) differ after the change."""

    conversation_id: str
    agent_id: str | None
    score_before: float
    score_after: float
    vetoes_before: tuple[str, ...]
    vetoes_after: tuple[str, ...]

    @property
    def veto_changed(self) -> bool:
        return self.vetoes_before != self.vetoes_after


@dataclass(frozen=True)
class BacktestDiff:
    conversations: int
    rules: tuple[RuleDiff, ...]
    changes: tuple[VerdictChange, ...]
    errors: tuple[str, ...] = ()

    @property
    def changed_rules(self) -> tuple[RuleDiff, ...]:
        return tuple(rule for rule in self.rules if rule.changed)

    @property
    def score_changes(self) -> tuple[VerdictChange, ...]:
        return tuple(c for c in self.changes if c.score_before != c.score_after)

    @property
    def veto_changes(self) -> tuple[VerdictChange, ...]:
        return tuple(c for c in self.changes if c.veto_changed)

    @property
    def agents_affected(self) -> tuple[str, ...]:
        agents = {c.agent_id for c in self.changes}
        agents |= {hit.agent_id for rule in self.rules
                   for hit in (*rule.newly_flagged, *rule.newly_cleared)}
        return tuple(sorted(agent for agent in agents if agent))

    @property
    def flagged_conversations(self) -> tuple[str, ...]:
        """Conversations some rule newly flags, in order of first appearance."""
        return tuple(dict.fromkeys(hit.conversation_id for rule in self.rules
                                   for hit in rule.newly_flagged))


class MemoSentiment:
    """Sentiment computed once per distinct text and reused (both sides of a backtest read the
    same turns). Thread-safe."""

    def __init__(self, analyzer: SentimentAnalyzer) -> None:
        self._analyzer = analyzer
        self._cache: dict[str, SentimentResult] = {}
        self._lock = threading.Lock()

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        with self._lock:
            missing = [text for text in dict.fromkeys(texts) if text not in self._cache]
        if missing:
            computed = self._analyzer.predict(missing)
            with self._lock:
                self._cache.update(zip(missing, computed, strict=True))
        with self._lock:
            return [self._cache[text] for text in texts]


def paired_pipelines(pipeline: Pipeline, baseline: RuleSet, candidate: RuleSet
                     ) -> tuple[Pipeline, Pipeline]:
    """Two pipelines like `pipeline` (models, redaction, scoring policy) over the baseline and
    the candidate rules, sharing one sentiment cache; they never transcribe."""
    sentiment = MemoSentiment(pipeline.sentiment) if pipeline.sentiment is not None else None

    def over(rules: RuleSet) -> Pipeline:
        policy = replace(pipeline.policy, category_caps=dict(rules.category_caps))
        return Pipeline(rules, sentiment=sentiment, transcriber=None, redact=pipeline.redacts,
                        policy=policy, embedder=pipeline.embedder)

    return over(baseline), over(candidate)


@dataclass
class _Tally:
    """What `backtest` gathers while it walks the conversations."""

    names: dict[str, str] = field(default_factory=dict)
    before: dict[str, dict[str, RuleHit]] = field(default_factory=dict)  # rule → conversation → hit
    after: dict[str, dict[str, RuleHit]] = field(default_factory=dict)
    changes: list[VerdictChange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    conversations: int = 0


def backtest(baseline: Pipeline, candidate: Pipeline,
             conversations: Iterable[Conversation]) -> BacktestDiff:
    """Inspect every conversation with both pipelines and compare. A conversation either side
    cannot inspect is listed in `errors` and left out."""
    tally = _Tally(names={rule.id: rule.header.name
                          for rule in (*baseline.rules.rules, *candidate.rules.rules)})
    for conversation in conversations:
        try:
            before = baseline.inspect_conversation(conversation)
            after = candidate.inspect_conversation(conversation)
        except ZhijianError as exc:
            tally.errors.append(f"{conversation.id}: {exc}")
            continue
        tally.conversations += 1
        _record(tally.before, tally.names, before)
        _record(tally.after, tally.names, after)
        change = _verdict_change(before, after)
        if change is not None:
            tally.changes.append(change)
    order = [rule.id for rule in candidate.rules.rules]
    order += [rule.id for rule in baseline.rules.rules if rule.id not in order]
    return BacktestDiff(tally.conversations, tuple(_rule_diff(tally, rule_id) for rule_id in order),
                        tuple(tally.changes), tuple(tally.errors))


def _record(hits: dict[str, dict[str, RuleHit]], names: dict[str, str], item: PipelineResult
            ) -> None:
    for finding in item.result.findings:
        names.setdefault(finding.rule_id, finding.rule_name)
        per_rule = hits.setdefault(finding.rule_id, {})
        if item.conversation.id not in per_rule:
            per_rule[item.conversation.id] = _hit(item.conversation, finding)


def _hit(conversation: Conversation, finding: Finding) -> RuleHit:
    evidence = finding.evidence
    index = evidence.utterance_index if evidence else None
    return RuleHit(conversation_id=conversation.id, agent_id=conversation.agent_id,
                   utterance_index=index,
                   utterance=None if index is None else conversation.utterances[index].text,
                   evidence=evidence.text if evidence else None, explanation=finding.explanation)


def _verdict_change(before: PipelineResult, after: PipelineResult) -> VerdictChange | None:
    old, new = before.result, after.result
    vetoes_before = (*old.veto_rule_ids, *old.pending_veto_rule_ids)
    vetoes_after = (*new.veto_rule_ids, *new.pending_veto_rule_ids)
    if old.score == new.score and set(vetoes_before) == set(vetoes_after):
        return None
    return VerdictChange(old.conversation_id, old.agent_id, old.score, new.score,
                         tuple(sorted(vetoes_before)), tuple(sorted(vetoes_after)))


def _rule_diff(tally: _Tally, rule_id: str) -> RuleDiff:
    before, after = tally.before.get(rule_id, {}), tally.after.get(rule_id, {})
    return RuleDiff(
        rule_id=rule_id, rule_name=tally.names.get(rule_id, rule_id),
        fired_before=len(before), fired_after=len(after),
        newly_flagged=tuple(hit for cid, hit in after.items() if cid not in before),
        newly_cleared=tuple(hit for cid, hit in before.items() if cid not in after))
