"""Run rules over a prepared conversation and turn their hits into findings with evidence."""

from __future__ import annotations

from collections.abc import Iterator

from inspection.embeddings import ConversationEmbeddings, Embedder, default_embedder
from inspection.engine.conditions.regex import RegexTimeoutError
from inspection.engine.context import CheckContext
from inspection.engine.hits import Hit
from inspection.engine.loader import RuleSet
from inspection.engine.registry import CHECKS
from inspection.engine.schema import Applicability, Rule
from inspection.errors import RuleConfigError
from inspection.text import PreparedConversation, normalise
from inspection.types import Evidence, Finding, Utterance, Word


def run_rules(rules: RuleSet, prepared: PreparedConversation, *,
              embedder: Embedder | None = None) -> list[Finding]:
    """Every rule's findings. `embedder`: the sentence encoder `similar` conditions use (default:
    the process-wide one); each utterance is embedded at most once for all rules."""
    embeddings = ConversationEmbeddings(embedder or default_embedder())
    return [finding for rule in rules.rules
            for finding in run_rule(rule, prepared, embeddings=embeddings)]


def run_rule(rule: Rule, prepared: PreparedConversation, *,
             embeddings: ConversationEmbeddings | None = None) -> list[Finding]:
    """The findings of one rule: at most `max_findings`, one per utterance.

    A regex that times out raises `RuleConfigError` naming the rule's file and id."""
    embeddings = embeddings or ConversationEmbeddings(default_embedder())
    try:
        return _run_rule(rule, prepared, embeddings)
    except RegexTimeoutError as exc:
        raise RuleConfigError(rule.source, str(exc), rule.id) from None


def _run_rule(rule: Rule, prepared: PreparedConversation, embeddings: ConversationEmbeddings
              ) -> list[Finding]:
    context = CheckContext(prepared=prepared, role=rule.header.role, checks=CHECKS,
                           embeddings=embeddings)
    if not applies(rule, context):
        return []
    findings: list[Finding] = []
    seen_utterances: set[int | None] = set()
    for hit in context.evaluate(rule.condition):
        if hit.utterance_index in seen_utterances:
            continue
        seen_utterances.add(hit.utterance_index)
        findings.append(_finding(rule, hit, prepared))
        if len(findings) >= rule.header.max_findings:
            break
    return findings


def applies(rule: Rule, context: CheckContext) -> bool:
    when = rule.header.applies_when
    if when is None:
        return True
    conversation = context.prepared.conversation
    if not _matches_fields(when, conversation.direction, conversation.channel,
                           conversation.industry, conversation.metadata):
        return False
    if rule.applies_condition is not None:
        return next(iter(context.evaluate(rule.applies_condition)), None) is not None
    return True


def _matches_fields(when: Applicability, direction: str, channel: str, industry: str | None,
                    metadata: dict[str, object]) -> bool:
    if any(metadata.get(k) in _as_list(v) for k, v in when.metadata_not.items()):
        return False
    if when.industry and industry not in when.industry:
        return False  # an industry rule never runs elsewhere, whatever `match`
    checks = [metadata.get(k) in _as_list(v) for k, v in when.metadata.items()]
    if when.direction:
        checks.append(when.direction == direction)
    if when.channel:
        checks.append(when.channel == channel)
    if not checks:
        return True
    return any(checks) if when.match == "any" else all(checks)


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value]


def _finding(rule: Rule, hit: Hit, prepared: PreparedConversation) -> Finding:
    header = rule.header
    return Finding(
        rule_id=header.id,
        rule_version=header.version,
        rule_name=header.name,
        category=header.category,
        severity=header.severity,
        deduction=header.deduction,
        veto=header.veto,
        explanation=hit.explanation,
        evidence=_evidence(hit, prepared),
        coaching=header.coaching,
    )


def _evidence(hit: Hit, prepared: PreparedConversation) -> Evidence | None:
    if hit.utterance_index is None:
        return None
    utterance = prepared.conversation.utterances[hit.utterance_index]
    start, end, confidence = _span_timing(utterance, hit.start, hit.end)
    return Evidence(
        utterance_index=hit.utterance_index,
        role=utterance.role,
        start=start,
        end=end,
        text=hit.text or prepared.utterances[hit.utterance_index].text,
        confidence=confidence,
    )


def _span_timing(utterance: Utterance, start: int, end: int) -> tuple[float, float, float]:
    """Start/end seconds and ASR confidence of the characters [start, end) of the normalised
    text, from word timestamps when the transcript has them."""
    words = list(_words_in_span(utterance, start, end))
    if not words:
        return utterance.start, utterance.end, utterance.confidence
    confidence = sum(w.probability for w in words) / len(words)
    return words[0].start, words[-1].end, round(confidence, 4)


def _words_in_span(utterance: Utterance, start: int, end: int) -> Iterator[Word]:
    if not utterance.words or end <= start:
        return
    position = 0
    for word in utterance.words:
        length = len(normalise(word.text))
        if position < end and position + length > start:
            yield word
        position += length
