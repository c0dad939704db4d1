"""Render a golden-set evaluation for people (a Chinese table, then every mistake), the same
subset on text and through speech recognition side by side (`--audio`), and the ratchet's
verdict (which figure fell, by how much)."""

from __future__ import annotations

from collections.abc import Sequence

from inspection.engine.golden_audio import VetoRecall, VoiceEvaluation, only_in
from inspection.engine.golden_record import Drop, Record
from inspection.engine.golden_scores import Evaluation, FiredEvidence, Mistake, RuleScore
from inspection.output import ROLE_LABELS, display_width, pad

HEADER = ("规则", "标注正例", "tp", "fp", "fn", "P", "R", "F1")
VOICE_HEADER = ("规则", "标注正例", "文本 P", "R", "F1", "语音 P", "R", "F1")
FIGURE_NAMES = {"macro_f1": "宏平均 F1 (macro-F1)", "veto_precision": "一票否决精确率 (veto precision)"}


def format_evaluation(evaluation: Evaluation, golden: str) -> str:
    """The per-rule table, the overall figures, then the false positives and negatives."""
    lines = [f"规则准确率 · {golden}：{evaluation.conversations} 通会话", ""]
    lines += _table(evaluation.rules)
    lines += ["", f"{FIGURE_NAMES['macro_f1']}: {evaluation.macro_f1:.3f}"
                  f"（{len(evaluation.rules)} 条已标注规则的平均）",
              f"{FIGURE_NAMES['veto_precision']}: {evaluation.veto_precision:.3f}"
              f"（{evaluation.vetoes} 次否决，其中 {evaluation.correct_vetoes} 次标注为应命中）"]
    lines += _mistakes(evaluation.mistakes)
    return "\n".join(lines)


def format_voice_evaluation(evaluation: VoiceEvaluation, golden: str) -> str:
    """Per rule P/R/F1 on the text and through ASR, the overall figures side by side, the
    recognition's CER, then the mistakes only one of the two runs makes."""
    text, asr = evaluation.text, evaluation.asr
    lines = [f"规则准确率 · 文本 vs 语音识别 (text vs ASR) · {golden}：{text.conversations} 通有录音"
             f"（{evaluation.audio_dir}；另有 {evaluation.without_audio} 通无录音，未评）", ""]
    rows = [[score.rule_id, str(score.positives), *_prf(score), *_prf(asr.rule(score.rule_id))]
            for score in text.rules]
    widths = [max(display_width(row[i]) for row in [list(VOICE_HEADER), *rows])
              for i in range(len(VOICE_HEADER))]
    lines += [_row(row, widths) for row in [list(VOICE_HEADER), *rows]]
    lines += ["", f"{FIGURE_NAMES['macro_f1']}: 文本 {text.macro_f1:.3f} · 语音识别 {asr.macro_f1:.3f}",
              f"{FIGURE_NAMES['veto_precision']}: 文本 {text.veto_precision:.3f}"
              f"（{text.correct_vetoes}/{text.vetoes}） · 语音识别 {asr.veto_precision:.3f}"
              f"（{asr.correct_vetoes}/{asr.vetoes}）",
              f"一票否决召回率 (veto recall): 文本 {_recall(evaluation.text_veto_recall)} · "
              f"语音识别 {_recall(evaluation.asr_veto_recall)}",
              "识别字错率 (CER): " + " · ".join(
                  f"{ROLE_LABELS.get(role, role)} {value:.1%}" for role, value in evaluation.cer.items())]
    lines += _mistakes(only_in(asr, text), "语音识别后新增")
    lines += _mistakes(only_in(text, asr), "仅文本有、语音识别后没有")
    return "\n".join(lines)


def format_ratchet(drops: Sequence[Drop], recorded: Record, current: Record, *,
                   updating: bool, written: bool) -> list[str]:
    """What the ratchet found: the size check and every figure below the record, marked ✗ when
    they fail the check and ! when an update re-measured the record on a resized golden set."""
    mark = "!" if written else "✗"
    lines: list[str] = []
    if recorded.conversations != current.conversations:
        then = ("已按现有会话重新记录" if written
                else "增删会话后请用 --update-record 重新记录 (golden set changed size)")
        lines.append(f"{mark} 金标集现有 {current.conversations} 通会话，记录是在 "
                     f"{recorded.conversations} 通上测得的：{then}")
    for drop in drops:
        lines.append(f"{mark} 低于记录 {FIGURE_NAMES.get(drop.figure, drop.figure)}: "
                     f"{drop.recorded:.4f} → {drop.current:.4f}（下降 {drop.by:.4f}）")
    if not lines:
        lines.append("✓ 没有任何指标低于记录 (no figure below the record)")
    if updating and not written:
        lines.append("记录只升不降：未写入 (the ratchet only goes up; record not written)")
    return lines


def _table(scores: Sequence[RuleScore]) -> list[str]:
    rows = [[s.rule_id, str(s.positives), str(s.tp), str(s.fp), str(s.fn),
             f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}"] for s in scores]
    widths = [max(display_width(row[i]) for row in [list(HEADER), *rows]) for i in range(len(HEADER))]
    return [_row(row, widths) for row in [list(HEADER), *rows]]


def _row(cells: list[str], widths: list[int]) -> str:
    first = pad(cells[0], widths[0])
    rest = [" " * (width - display_width(cell)) + cell
            for cell, width in zip(cells[1:], widths[1:], strict=True)]
    return "  ".join([first, *rest])


def _prf(score: RuleScore | None) -> list[str]:
    if score is None:
        return ["-", "-", "-"]
    return [f"{score.precision:.2f}", f"{score.recall:.2f}", f"{score.f1:.2f}"]


def _recall(recall: VetoRecall) -> str:
    return f"{recall.value:.3f}（{recall.found}/{recall.positives}）"


def _mistakes(mistakes: Sequence[Mistake], which: str = "") -> list[str]:
    ordered = sorted(mistakes, key=lambda m: (m.rule_id, m.kind, m.conversation_id))
    false_positives = [m for m in ordered if m.kind == "fp"]
    false_negatives = [m for m in ordered if m.kind == "fn"]
    lines = ["", f"{which}误报 FP（标注不应命中却命中）{len(false_positives)} 条："]
    for mistake in false_positives:
        lines.append(f"  [{mistake.rule_id}] {mistake.conversation_id}（{mistake.source}）")
        lines += [f"      {_describe(evidence)}" for evidence in mistake.evidence]
    lines += ["", f"{which}漏报 FN（标注应命中却未命中）{len(false_negatives)} 条："]
    for mistake in false_negatives:
        lines.append(f"  [{mistake.rule_id}] {mistake.conversation_id}（{mistake.source}）")
        if mistake.notes:
            lines.append(f"      备注: {mistake.notes}")
    return lines


def _describe(evidence: FiredEvidence) -> str:
    if evidence.utterance_index is None:
        return f"整通会话: {evidence.explanation}"
    role = ROLE_LABELS.get(evidence.role or "", evidence.role or "")
    return (f"话轮 #{evidence.utterance_index} {role}「{evidence.utterance_text}」 "
            f"证据「{evidence.matched_text}」 {evidence.explanation}")


__all__ = ["format_evaluation", "format_ratchet", "format_voice_evaluation"]
