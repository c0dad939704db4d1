"""What the rule-lifecycle routes accept and return: versions, dry runs, publications,
re-inspections, missed findings, review samples and the agreement figures (English field
names; the `…Public.of` class methods make them from rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from api.http.schemas import RuleStat
from models.reinspection import ReinspectionRun
from models.rule_versions import RulePackVersion, RulePublication
from models.sampling import MissedFinding, ReviewSample

MAX_FILES = 20


class VersionUpload(BaseModel):
    files: dict[str, str | None] = Field(
        min_length=1, max_length=MAX_FILES,
        description="文件名 → YAML 全文（替换或新增该规则包）；null 删除该文件")
    comment: str = Field(default="", max_length=2000)
    based_on: int | None = Field(default=None, ge=1, description="在哪个版本上修改；默认已发布版本")


class PeriodIn(BaseModel):
    since: date = Field(description="开始日期（含，呼叫中心当地时间）")
    until: date = Field(description="结束日期（含）")


class PublishIn(BaseModel):
    comment: str = Field(default="", max_length=2000)


class ReinspectIn(PeriodIn):
    pass


class MissIn(BaseModel):
    conversation_id: str = Field(min_length=1, max_length=200)
    rule_id: str = Field(min_length=1, max_length=100)
    utterance_index: int | None = Field(default=None, ge=0, le=100_000)
    comment: str = Field(default="", max_length=2000)


class SampleDrawIn(PeriodIn):
    share: float | None = Field(default=None, gt=0, le=1,
                                description="抽取比例（默认 ZHIJIAN_REVIEW_SAMPLE_SHARE = 0.02）")


class VersionPublic(BaseModel):
    version: int
    based_on: int | None
    comment: str
    created_by: str
    created_at: datetime
    rules: int
    files: list[str]
    digest: str
    dry_run_at: datetime | None
    dry_run_summary: str | None
    published: bool = Field(description="当前发布的版本")
    ever_published: bool

    @classmethod
    def of(cls, row: RulePackVersion, *, published: int | None, ever: set[int]
           ) -> VersionPublic:
        return cls(version=row.version, based_on=row.based_on, comment=row.comment,
                   created_by=row.created_by, created_at=row.created_at, rules=row.rules,
                   files=sorted(row.files), digest=row.digest, dry_run_at=row.dry_run_at,
                   dry_run_summary=(row.dry_run or {}).get("summary"),
                   published=row.version == published, ever_published=row.version in ever)


class VersionDetail(VersionPublic):
    texts: dict[str, str]
    dry_run: dict[str, Any] | None

    @classmethod
    def of_row(cls, row: RulePackVersion, *, published: int | None, ever: set[int]
               ) -> VersionDetail:
        base = VersionPublic.of(row, published=published, ever=ever)
        return cls(**base.model_dump(), texts=row.files, dry_run=row.dry_run)


class PublicationPublic(BaseModel):
    id: int
    version: int
    previous_version: int | None
    published_by: str
    published_at: datetime
    comment: str
    summary: dict[str, Any]

    @classmethod
    def of(cls, row: RulePublication) -> PublicationPublic:
        return cls.model_validate(row, from_attributes=True)


class ReinspectionPublic(BaseModel):
    id: int
    version: int
    since: datetime
    until: datetime
    requested_by: str
    created_at: datetime
    total: int
    progress: dict[str, int] = Field(description="pending / done / failed / total")

    @classmethod
    def of(cls, row: ReinspectionRun, progress: dict[str, int]) -> ReinspectionPublic:
        return cls(**row.model_dump(), progress=progress)


class MissedFindingPublic(BaseModel):
    id: int
    conversation_id: str
    rule_id: str
    utterance_index: int | None
    comment: str
    sample_id: int | None
    created_at: datetime

    @classmethod
    def of(cls, row: MissedFinding) -> MissedFindingPublic:
        return cls.model_validate(row, from_attributes=True)


class SamplePublic(BaseModel):
    id: int
    conversation_id: str
    team_id: str | None
    share: float
    outcome: str
    drawn_at: datetime
    reviewed_at: datetime | None

    @classmethod
    def of(cls, row: ReviewSample) -> SamplePublic:
        return cls.model_validate(row, from_attributes=True)


class RuleAgreementPublic(RuleStat):
    """`RuleStat` plus the agreement figures (`api.services.agreement`): each estimate is
    {value, low, high, count} with a 95 % interval."""

    reviewed: int
    precision_estimate: dict[str, Any]
    miss_rate: dict[str, Any]
    missed_elsewhere: int
    recall: dict[str, Any]
    kappa: dict[str, Any]
    trend: list[dict[str, Any]]
    precision_30d: dict[str, Any]
    threshold: float
    alert: bool
