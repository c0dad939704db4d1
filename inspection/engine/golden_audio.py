"""Golden sets through speech: the same labels scored on the transcript of a recording of each
conversation, beside the figures on its written text.

`zhijian rules eval GOLDEN --audio DIR` looks in DIR for `<conversation id><ext>` (any audio
extension `zhijian inspect` reads: `dev-fin-005.opus`) for every golden conversation. The
conversations that have a recording form the subset; each is inspected twice through the one
`Pipeline`: its text (`inspect_conversation`, as without `--audio`) and its recording
(`inspect_audio`: transcribe → redact → … → score), the recording given the golden
conversation's own fields (`RecordingMetadata`: id, direction, industry, agent, start time,
metadata), so industry and direction gates and metadata such as `ivr_recording_notice` work as
they do on the text. Both are scored with the same labels (`golden_scores`).

Beside macro-F1 and veto precision it reports **veto recall** — of the (conversation, rule)
pairs labelled true for a rule declared `veto: true`, the share where that rule fired a veto
(1.0 when there is none) — and the recognition's character error rate per role (agent,
customer: edit distance pooled over the conversations' characters, redacted text against
redacted transcript, punctuation and spaces ignored).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from inspection.engine.golden import GoldenConversation, check_label_ids, inspect_golden
from inspection.engine.golden_scores import (
    Evaluation,
    LabelledOutcome,
    Mistake,
    evaluation_to_dict,
    mistake_to_dict,
    score_outcomes,
)
from inspection.errors import InvalidInputError, ZhijianError
from inspection.pipeline import Pipeline
from inspection.recording_metadata import RecordingMetadata
from inspection.transcription import AUDIO_EXTENSIONS
from inspection.transcription.evaluation import pooled_character_error_rate
from inspection.types import Conversation

ROLES = ("agent", "customer")


@dataclass(frozen=True)
class VetoRecall:
    """Labelled-true pairs of veto rules, and how many of them a veto was fired for."""

    found: int
    positives: int

    @property
    def value(self) -> float:
        return self.found / self.positives if self.positives else 1.0


@dataclass(frozen=True)
class VoiceEvaluation:
    """One golden subset scored on its text and on its recordings' transcripts."""

    audio_dir: str
    text: Evaluation
    asr: Evaluation
    text_veto_recall: VetoRecall
    asr_veto_recall: VetoRecall
    cer: dict[str, float]  # role → character error rate pooled over the subset
    without_audio: int  # golden conversations with no recording in the folder


def find_recordings(golden: Sequence[GoldenConversation], audio_dir: Path) -> dict[str, Path]:
    """Conversation id → its recording `<id><ext>` in `audio_dir`; an error when the folder is
    missing, holds no recording of any of them, or two of one conversation."""
    if not audio_dir.is_dir():
        raise InvalidInputError(str(audio_dir), "录音目录不存在 (no such directory)")
    by_stem: dict[str, list[Path]] = {}
    for path in sorted(audio_dir.iterdir()):
        if path.is_file() and path.suffix.lower() in AUDIO_EXTENSIONS:
            by_stem.setdefault(path.stem, []).append(path)
    found: dict[str, Path] = {}
    for item in golden:
        paths = by_stem.get(item.conversation.id, [])
        if len(paths) > 1:
            raise InvalidInputError(str(audio_dir), f"会话 {item.conversation.id} 有多个录音 "
                                    f"{', '.join(p.name for p in paths)}（只保留一个）(several recordings)")
        if paths:
            found[item.conversation.id] = paths[0]
    if not found:
        raise InvalidInputError(str(audio_dir), "目录中没有任何金标会话的录音：文件名应为 <会话 id>.flac / "
                                ".opus / .wav … (no recording named after a golden conversation id)")
    return found


def recording_of(conversation: Conversation) -> RecordingMetadata:
    """The fields a recording system would give beside the call: the golden conversation's."""
    return RecordingMetadata(id=conversation.id, direction=conversation.direction,
                             industry=conversation.industry, agent_id=conversation.agent_id,
                             started_at=conversation.started_at, metadata=dict(conversation.metadata))


def inspect_recordings(pipeline: Pipeline, golden: Sequence[GoldenConversation],
                       recordings: dict[str, Path], *, progress: bool = True) -> list[LabelledOutcome]:
    """Transcribe and inspect each conversation's recording (progress bar on stderr)."""
    outcomes: list[LabelledOutcome] = []
    for item in tqdm(golden, desc="语音评测", unit="通", file=sys.stderr, leave=False,
                     disable=not progress):
        path = recordings[item.conversation.id]
        try:
            inspected = pipeline.inspect_audio(path, recording=recording_of(item.conversation))
        except ZhijianError as exc:
            raise InvalidInputError(str(path), f"无法质检录音: {exc}") from exc
        outcomes.append(LabelledOutcome(inspected.conversation, item.labels, item.notes,
                                        str(path), inspected.result))
    return outcomes


def veto_recall(outcomes: Iterable[LabelledOutcome], veto_rules: frozenset[str]) -> VetoRecall:
    """Of the pairs labelled true for a veto rule, those where the rule fired a veto."""
    found = positives = 0
    for outcome in outcomes:
        for rule_id, expected in outcome.labels.items():
            if expected and rule_id in veto_rules:
                positives += 1
                found += any(finding.veto for finding in outcome.findings_of(rule_id))
    return VetoRecall(found, positives)


def pooled_cer(references: Sequence[Conversation], transcripts: Sequence[Conversation]) -> dict[str, float]:
    """Per role: edit distance summed over the conversations / reference characters summed (a
    role that says nothing in any reference is left out)."""
    pooled: dict[str, float] = {}
    for role in ROLES:
        rate = pooled_character_error_rate(
            (_role_text(reference, role), _role_text(transcript, role))
            for reference, transcript in zip(references, transcripts, strict=True))
        if rate is not None:
            pooled[role] = rate
    return pooled


def evaluate_golden_audio(pipeline: Pipeline, golden: Sequence[GoldenConversation], audio_dir: Path,
                          *, progress: bool = True) -> VoiceEvaluation:
    """The conversations with a recording in `audio_dir`, scored on text and through ASR."""
    check_label_ids(golden, (rule.id for rule in pipeline.rules.rules))
    recordings = find_recordings(golden, audio_dir)
    subset = [item for item in golden if item.conversation.id in recordings]
    on_text = inspect_golden(pipeline, subset, progress=progress)
    on_audio = inspect_recordings(pipeline, subset, recordings, progress=progress)
    vetoes = frozenset(rule.id for rule in pipeline.rules.rules if rule.header.veto)
    cer = pooled_cer([o.conversation for o in on_text], [o.conversation for o in on_audio])
    return VoiceEvaluation(audio_dir.as_posix(), score_outcomes(on_text), score_outcomes(on_audio),
                           veto_recall(on_text, vetoes), veto_recall(on_audio, vetoes), cer,
                           len(golden) - len(subset))


def voice_evaluation_to_dict(evaluation: VoiceEvaluation) -> dict[str, Any]:
    """The JSON shape of `zhijian rules eval --audio DIR --format json`."""
    def figures(scored: Evaluation, recall: VetoRecall) -> dict[str, Any]:
        return {**evaluation_to_dict(scored), "veto_recall": recall.value,
                "veto_positives": recall.positives, "vetoes_found": recall.found}

    asr = figures(evaluation.asr, evaluation.asr_veto_recall)
    asr["cer"] = evaluation.cer
    asr["errors_only_asr"] = [mistake_to_dict(m) for m in only_in(evaluation.asr, evaluation.text)]
    asr["errors_only_text"] = [mistake_to_dict(m) for m in only_in(evaluation.text, evaluation.asr)]
    return {"audio_dir": evaluation.audio_dir, "conversations": evaluation.text.conversations,
            "without_audio": evaluation.without_audio,
            "text": figures(evaluation.text, evaluation.text_veto_recall), "asr": asr}


def only_in(evaluation: Evaluation, other: Evaluation) -> list[Mistake]:
    """The false positives and negatives of `evaluation` that `other` does not make (by kind,
    rule and conversation): what recognition broke, or what it happened to mend."""
    made = {(m.kind, m.rule_id, m.conversation_id) for m in other.mistakes}
    return [m for m in evaluation.mistakes if (m.kind, m.rule_id, m.conversation_id) not in made]


def _role_text(conversation: Conversation, role: str) -> str:
    return "".join(u.text for u in conversation.utterances if u.role == role)


__all__ = ["VetoRecall", "VoiceEvaluation", "evaluate_golden_audio", "find_recordings",
           "inspect_recordings", "only_in", "pooled_cer", "recording_of", "veto_recall",
           "voice_evaluation_to_dict"]
