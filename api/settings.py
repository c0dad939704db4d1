"""The one `Settings`: environment variables prefixed `ZHIJIAN_` (read by `get_settings()`),
and the core pipeline's settings made from them (`Settings.pipeline_settings()`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from inspection.pipeline import PipelineSettings
from inspection.scoring import DEFAULT_VETO_APPLIES, VetoApplies


class Settings(BaseSettings):
    """Every knob of the service. Core code never reads these: `api/` passes values in."""

    model_config = SettingsConfigDict(env_prefix="ZHIJIAN_", extra="ignore")

    data_dir: Path = Field(default=Path(".zhijian"), description="数据目录：SQLite 文件与录音")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<data_dir>/zhijian.db"
    )
    broker_url: str | None = Field(
        default=None, description="Celery broker (redis://…); unset = in-process jobs"
    )
    queue_name: str = Field(default="zhijian", description="Celery queue the jobs go to")
    rules_dir: Path | None = Field(default=None, description="rule packs; default bundled rules/")
    sentiment_model: str | None = Field(
        default=None, description="HF model dir; default embedded; `m3e-small`: opt-in, "
        "non-commercial research use only (`make m3e-small`)")
    sentence_encoder: str | None = Field(
        default=None, description="`similar` rules: a transformers encoder dir; default USE multilingual v3")
    sentiment_enabled: bool = True
    sentiment_threads: int = Field(default=1, ge=1, le=64,
                                   description="torch threads per process; jobs run in parallel")
    whisper_model: str | None = Field(default=None, description="faster-whisper model dir or name")
    whisper_device: Literal["cpu", "cuda", "auto"] = "auto"
    whisper_compute_type: str | None = Field(default=None, description="int8 on CPU, float16 on GPU")
    whisper_batch_size: int = Field(default=4, ge=0, description="0 = sequential decoding")
    agent_channel: Literal["left", "right"] = "left"
    job_workers: int = Field(default=4, ge=1, le=64)
    job_max_attempts: int = Field(default=3, ge=1, le=20)
    max_upload_bytes: int = Field(default=100 * 1024 * 1024, ge=1024)
    review_confidence: float = Field(default=0.6, ge=0, le=1)
    veto_applies: VetoApplies = Field(
        default=DEFAULT_VETO_APPLIES,
        description="on_confirmation: a machine veto zeroes the score only once a reviewer "
                    "confirms it (docs/rules.md); immediately: at once")
    review_sample_share: float = Field(
        default=0.02, ge=0, le=1, description="抽检: share of clean conversations per team")
    audit_key_file: Path | None = Field(
        default=None, description="HMAC key of the audit checkpoints; default <data_dir>/audit.key")
    audit_checkpoint_file: Path | None = Field(
        default=None, description="signed audit checkpoints (append-only); default "
                                  "<data_dir>/audit-checkpoints.jsonl")
    audit_checkpoint_every: int = Field(default=100, ge=1, le=1_000_000,
                                        description="entries between automatic checkpoints")
    session_idle_minutes: int = Field(
        default=480, ge=1, description="a page session ends after this long without a request")
    session_absolute_hours: int = Field(
        default=24, ge=1, description="a page session ends this long after login, used or not")
    trusted_origins: list[str] = Field(
        default_factory=list, description='origins besides the request\'s own that may post with '
        'the session cookie, e.g. ["https://qa.bank.example"] behind a proxy (JSON list)')

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'zhijian.db').resolve()}"

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    @property
    def resolved_audit_key_file(self) -> Path:
        return self.audit_key_file or self.data_dir / "audit.key"

    @property
    def resolved_audit_checkpoint_file(self) -> Path:
        return self.audit_checkpoint_file or self.data_dir / "audit-checkpoints.jsonl"

    def pipeline_settings(self) -> PipelineSettings:
        """What the service's `Pipeline` is built from. Redaction is always on: nothing
        un-redacted is ever stored."""
        return PipelineSettings(
            rules_dir=self.rules_dir, redact=True, sentiment_enabled=self.sentiment_enabled,
            sentiment_model=self.sentiment_model, sentiment_threads=self.sentiment_threads,
            transcriber=self.transcriber_options(), review_confidence=self.review_confidence,
            veto_applies=self.veto_applies, sentence_encoder=self.sentence_encoder)

    def transcriber_options(self) -> dict[str, Any]:
        """`TranscriberOptions.from_dict` values (no model: the embedded default)."""
        options: dict[str, Any] = {
            "device": self.whisper_device, "compute_type": self.whisper_compute_type,
            "batch_size": self.whisper_batch_size, "agent_channel": self.agent_channel}
        if self.whisper_model:
            options["model"] = self.whisper_model
        return options


@lru_cache
def get_settings() -> Settings:
    return Settings()
