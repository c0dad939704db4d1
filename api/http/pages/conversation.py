"""The conversation page (transcript, findings on their evidence, review) and its audio."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from api.http.deps import PrincipalDep, RuntimeDep, SessionDep
from api.http.pages.rendering import PageRoute, render
from models import Conversation, Finding, Utterance
from models.enums import FINISHED, REVIEWERS, AppealState, ConversationStatus, UserRole
from models.errors import NotFoundError
from models.queries import findings_of, open_appeal_for, utterances_of
from models.repository.sampling import misses_of, sample_of

router = APIRouter(route_class=PageRoute, include_in_schema=False)
AUDIO_TYPES = {".wav": "audio/wav", ".mp3": "audio/mpeg", ".m4a": "audio/mp4",
               ".ogg": "audio/ogg", ".flac": "audio/flac", ".webm": "audio/webm"}


@dataclass(frozen=True)
class Segment:
    """A piece of an utterance's text; `finding_ids` non-empty when it is a finding's evidence."""

    text: str
    finding_ids: tuple[int, ...] = ()
    risk: bool = False
    veto: bool = False


@dataclass
class Turn:
    utterance: Utterance
    segments: list[Segment]
    finding_ids: list[int] = field(default_factory=list)
    low_confidence: bool = False


def highlight(text: str, findings: list[Finding]) -> list[Segment]:
    """Split `text` so every finding's evidence text is its own segment (first match wins)."""
    spans: list[tuple[int, int, Finding]] = []
    for finding in findings:
        needle = finding.evidence_text or ""
        at = text.find(needle) if needle else -1
        if at >= 0 and all(at >= end or at + len(needle) <= start for start, end, _ in spans):
            spans.append((at, at + len(needle), finding))
    segments, cursor = [], 0
    for start, end, finding in sorted(spans, key=lambda span: span[0]):
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        assert finding.id is not None
        segments.append(Segment(text[start:end], (finding.id,), finding.category == "risk",
                                finding.veto and finding.counts))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def build_turns(utterances: list[Utterance], findings: list[Finding], low_confidence: float
                ) -> list[Turn]:
    by_index: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.utterance_index is not None:
            by_index.setdefault(finding.utterance_index, []).append(finding)
    return [
        Turn(u, highlight(u.text, by_index.get(u.index, [])),
             [f.id for f in by_index.get(u.index, []) if f.id is not None],
             u.confidence < low_confidence)
        for u in utterances
    ]


def warnings_for(row: Conversation, turns: list[Turn]) -> list[str]:
    notes = []
    if row.roles_inferred:
        notes.append("说话人角色由系统推断（单声道录音），坐席/客户可能标反，请复核后再下结论。")
    low = sum(1 for turn in turns if turn.low_confidence)
    if low:
        notes.append(f"{low} 句转写置信度低（标为“低置信”），相关质检结果需人工确认。")
    if row.status == ConversationStatus.FAILED:
        notes.append(f"质检失败：{row.error or '未知错误'}")
    return notes


@router.get("/conversations/{conversation_id}")
def conversation_page(conversation_id: str, request: Request, principal: PrincipalDep,
                      session: SessionDep, runtime: RuntimeDep) -> Response:
    row = principal.check_can_see(session.get(Conversation, conversation_id), conversation_id)
    findings = findings_of(session, conversation_id=row.id)
    turns = build_turns(utterances_of(session, conversation_id=row.id), findings,
                        runtime.settings.review_confidence)
    appeals = {f.id: open_appeal_for(session, finding_id=f.id) for f in findings
               if f.id is not None and f.appeal_state == AppealState.OPEN}
    return render(
        request, "conversation.html", principal, row=row, turns=turns, findings=findings,
        appeals=appeals, warnings=warnings_for(row, turns),
        can_review=principal.role in REVIEWERS,
        can_appeal=principal.role == UserRole.AGENT and row.agent_id == principal.agent_id,
        finished=row.status in FINISHED, misses=misses_of(session, conversation_id=row.id),
        sample=sample_of(session, conversation_id=row.id),
        rule_ids=sorted(rule.id for rule in runtime.pipeline.rules.rules))


@router.get("/conversations/{conversation_id}/audio")
def conversation_audio(conversation_id: str, principal: PrincipalDep, session: SessionDep
                       ) -> Response:
    """The stored recording (range requests supported, so the player can seek)."""
    row = principal.check_can_see(session.get(Conversation, conversation_id), conversation_id)
    path = Path(row.audio_path) if row.audio_path else None
    if path is None or not path.is_file():
        raise NotFoundError(f"会话 {conversation_id} 没有录音")
    return FileResponse(path, media_type=AUDIO_TYPES.get(path.suffix.lower(), "application/octet-stream"),
                        headers={"Cache-Control": "private, max-age=3600"})
