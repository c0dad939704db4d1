"""The one `Pipeline`: stage order, redaction on every door, sentiment only where it is read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from inspection.engine import load_rules
from inspection.errors import InvalidInputError
from inspection.loaders import load_conversations
from inspection.pipeline import Pipeline, PipelineSettings
from inspection.sentiment import LexiconSentiment
from inspection.types import Conversation, SentimentResult, Utterance
from tests.inspection.engine.engine_builders import conversation

CARD = "6222021234567890128"  # Luhn-valid: a bank card number


class CountingAnalyzer:
    """The lexicon analyzer, recording every call's texts."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.lexicon = LexiconSentiment()

    def predict(self, texts: Sequence[str]) -> list[SentimentResult]:
        self.calls.append(list(texts))
        return self.lexicon.predict(texts)


class StandInTranscriber:
    """Says one fixed sentence for any file (the real one is tested in transcription/)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def transcribe(self, path: str | Path, *, conversation_id: str | None = None,
                   metadata: dict[str, Any] | None = None) -> Conversation:
        return Conversation(id=conversation_id or Path(path).stem, channel="voice",
                            metadata=metadata or {},
                            utterances=(Utterance(role="customer", start=0, end=3, text=self.text),))


def test_sentiment_runs_once_on_the_turns_the_rules_read() -> None:
    analyzer = CountingAnalyzer()
    pipeline = Pipeline(load_rules(), sentiment=analyzer)
    conv = conversation([("agent", "您好"), ("customer", "太差了，气死我了"),
                         ("agent", "抱歉"), ("customer", "好的，谢谢")])
    sentiments = pipeline.inspect_conversation(conv).sentiments
    assert analyzer.calls == [["太差了，气死我了", "好的，谢谢"]]
    assert sentiments is not None and sentiments[0] is None and sentiments[2] is None
    assert sentiments[1] == LexiconSentiment().predict(["太差了，气死我了"])[0]


def test_findings_are_the_same_as_with_every_turn_analysed(examples_dir: Path) -> None:
    """Skipping the turns no rule reads changes no finding and no score."""
    class EveryTurn(Pipeline):
        @property
        def sentiment_roles(self) -> frozenset[Any]:
            return frozenset({"agent", "customer"})

    rules = load_rules()
    for path in sorted(examples_dir.iterdir()):
        for conv in load_conversations(path):
            expected = EveryTurn(rules, sentiment=LexiconSentiment()).inspect_conversation(conv)
            actual = Pipeline(rules, sentiment=LexiconSentiment()).inspect_conversation(conv)
            assert actual.result == expected.result


def test_typed_in_text_is_redacted_before_the_rules_see_it() -> None:
    conv = conversation([("customer", f"我的卡号是{CARD}"), ("agent", "好的，请稍等")])
    inspected = Pipeline(load_rules()).inspect_conversation(conv)
    assert CARD not in inspected.conversation.model_dump_json()
    assert "[银行卡号]" in inspected.conversation.utterances[0].text
    assert [span.kind for span in inspected.redactions] == ["bank_card"]


def test_redaction_can_be_turned_off_for_local_use() -> None:
    conv = conversation([("customer", f"我的卡号是{CARD}")])
    inspected = Pipeline(load_rules(), redact=False).inspect_conversation(conv)
    assert CARD in inspected.conversation.utterances[0].text and inspected.redactions == ()


def test_recordings_are_redacted_too(tmp_path: Path) -> None:
    pipeline = Pipeline(load_rules(), transcriber=StandInTranscriber(f"卡号{CARD}"))
    inspected = pipeline.inspect_audio(tmp_path / "call.wav", conversation_id="c-1",
                                       metadata={"agent_id": "A001"})
    assert inspected.conversation.id == "c-1" and inspected.conversation.agent_id == "A001"
    assert CARD not in inspected.conversation.model_dump_json()
    assert pipeline.transcribe(tmp_path / "call.wav").redactions


def test_a_canonical_dict_is_validated_and_errors_name_the_source() -> None:
    pipeline = Pipeline(load_rules())
    with pytest.raises(InvalidInputError, match="请求体: utterances"):
        pipeline.inspect_conversation({"id": "x"}, source="请求体")


def test_audio_without_a_transcriber_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="未配置语音转写"):
        Pipeline(load_rules()).inspect_audio(tmp_path / "call.wav")


def test_from_settings_loads_rules_now_and_models_lazily(tmp_path: Path) -> None:
    settings = PipelineSettings(sentiment_model=str(tmp_path / "no-such-model"),
                                transcriber={"model": str(tmp_path / "no-such-whisper")})
    pipeline = Pipeline.from_settings(settings)  # neither model is touched yet
    assert pipeline.rules.get("fin.guaranteed_return") is not None
    assert pipeline.redacts and pipeline.policy.review_confidence == settings.review_confidence


def test_bad_transcriber_settings_fail_when_the_pipeline_is_built() -> None:
    with pytest.raises(ValueError, match="beam_size"):
        Pipeline.from_settings(PipelineSettings(transcriber={"beam_size": 0}))
