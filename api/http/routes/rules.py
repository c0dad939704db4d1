"""Rule packs: the loaded rules, validating a pack, versions (upload → dry run → publish,
rollback = publish an older one), re-inspection, missed findings, review samples, and the
agreement figures per rule.

Every state change: reviewers only (qa_reviewer / admin), CSRF-checked for cookie sessions (the
principal dependency), audited by its service.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from api.http.auth import require_role
from api.http.bodies import body_up_to
from api.http.deps import PrincipalDep, RuntimeDep, SessionDep, require_json_body
from api.http.rule_schemas import (
    MissedFindingPublic,
    MissIn,
    PeriodIn,
    PublicationPublic,
    PublishIn,
    ReinspectIn,
    ReinspectionPublic,
    RuleAgreementPublic,
    SampleDrawIn,
    SamplePublic,
    VersionDetail,
    VersionPublic,
    VersionUpload,
)
from api.http.schemas import RulePublic, RuleValidation
from api.jobs.reinspection import ReinspectionQueue, start_reinspection
from api.services import misses, rule_versions
from api.services.rules import MAX_PACK_BYTES, agreement_stats, check_pack, rule_summaries
from inspection.errors import InvalidInputError
from models.enums import QUEUE_VIEWERS, REVIEWERS
from models.errors import NotFoundError
from models.reinspection import ReinspectionRun
from models.repository.reinspection import run_progress
from models.repository.rule_packs import get_version, list_publications, list_versions
from models.repository.sampling import pending_samples

router = APIRouter(prefix="/api/rules", tags=["rules"])
JSON = [Depends(require_json_body)]
MAX_UPLOAD_BYTES = 8 * 1024 * 1024


async def get_reinspections(request: Request) -> ReinspectionQueue:
    queue: ReinspectionQueue = request.app.state.reinspections
    return queue


ReinspectionsDep = Annotated[ReinspectionQueue, Depends(get_reinspections)]


@router.get("", response_model=list[RulePublic], summary="已加载（已发布版本）的规则")
def list_rules(principal: PrincipalDep, runtime: RuntimeDep) -> list[RulePublic]:
    return [RulePublic(**rule) for rule in rule_summaries(runtime.pipeline.rules)]


@router.post("/validate", response_model=RuleValidation,
             summary="校验一个规则包（YAML 请求体）并运行其示例")
async def validate_pack(body: Annotated[bytes, body_up_to(MAX_PACK_BYTES)],
                        principal: PrincipalDep, runtime: RuntimeDep) -> RuleValidation:
    require_role(principal, REVIEWERS)
    checked = await run_in_threadpool(check_pack, runtime, actor=principal.actor, body=body)
    return RuleValidation.model_validate(checked, from_attributes=True)


@router.get("/stats", response_model=list[RuleAgreementPublic],
            summary="各规则的复核/申诉结果、精确率、估计召回率、κ（95% 区间）、月度趋势与预警")
def rule_stats(principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
               ) -> list[RuleAgreementPublic]:
    require_role(principal, QUEUE_VIEWERS)
    rows = agreement_stats(session, runtime.pipeline.rules)
    return [RuleAgreementPublic.model_validate(row) for row in rows]


@router.get("/versions", response_model=list[VersionPublic], summary="规则版本（新的在前）")
def get_versions(principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
                 ) -> list[VersionPublic]:
    require_role(principal, QUEUE_VIEWERS)
    ever = {p.version for p in list_publications(session, limit=100_000)}
    return [VersionPublic.of(row, published=runtime.rules_version, ever=ever)
            for row in list_versions(session)]


@router.post("/versions", response_model=VersionPublic, status_code=201, dependencies=JSON,
             summary="上传改动的规则包：校验（结构与示例）后保存为新版本（尚未发布）")
async def upload_version(body: Annotated[bytes, body_up_to(MAX_UPLOAD_BYTES)],
                         principal: PrincipalDep, runtime: RuntimeDep) -> VersionPublic:
    require_role(principal, REVIEWERS)
    try:
        upload = VersionUpload.model_validate_json(body)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "body"
        raise InvalidInputError(where, str(problem["msg"])) from None
    row = await run_in_threadpool(rule_versions.upload_version, runtime, actor=principal.actor,
                                  changes=upload.files, comment=upload.comment,
                                  based_on=upload.based_on)
    return VersionPublic.of(row, published=runtime.rules_version, ever=set())


@router.get("/versions/{version}", response_model=VersionDetail,
            summary="一个版本：规则包全文与最近一次试运行的差异")
def get_one_version(version: int, principal: PrincipalDep, session: SessionDep,
                    runtime: RuntimeDep) -> VersionDetail:
    require_role(principal, QUEUE_VIEWERS)
    ever = {p.version for p in list_publications(session, limit=100_000)}
    return VersionDetail.of_row(get_version(session, version=version),
                                published=runtime.rules_version, ever=ever)


@router.post("/versions/{version}/dry-run", dependencies=JSON,
             summary="试运行：新旧版本分别质检周期内已存会话并列出差异（同 rules backtest）")
async def dry_run(version: int, body: PeriodIn, principal: PrincipalDep, runtime: RuntimeDep
                  ) -> dict[str, object]:
    require_role(principal, REVIEWERS)
    return await run_in_threadpool(rule_versions.dry_run, runtime, actor=principal.actor,
                                   version=version, since=body.since, until=body.until)


@router.post("/versions/{version}/publish", response_model=PublicationPublic, dependencies=JSON,
             summary="发布（或回滚到）一个版本：新会话从此使用它")
async def publish(version: int, body: PublishIn, principal: PrincipalDep, runtime: RuntimeDep
                  ) -> PublicationPublic:
    require_role(principal, REVIEWERS)
    row = await run_in_threadpool(rule_versions.publish, runtime, actor=principal.actor,
                                  version=version, comment=body.comment)
    return PublicationPublic.of(row)


@router.get("/publications", response_model=list[PublicationPublic], summary="发布记录（新的在前）")
def get_publications(principal: PrincipalDep, session: SessionDep) -> list[PublicationPublic]:
    require_role(principal, QUEUE_VIEWERS)
    return [PublicationPublic.of(row) for row in list_publications(session)]


@router.post("/reinspections", response_model=ReinspectionPublic, status_code=202,
             dependencies=JSON, summary="用已发布版本重新质检一个周期的已存会话（后台任务）")
async def reinspect(body: ReinspectIn, principal: PrincipalDep, runtime: RuntimeDep,
                    queue: ReinspectionsDep) -> ReinspectionPublic:
    require_role(principal, REVIEWERS)
    since, until = rule_versions.local_period(body.since, body.until)
    run = await run_in_threadpool(start_reinspection, runtime, queue, since=since, until=until,
                                  requested_by=principal.actor)
    assert run.id is not None
    return ReinspectionPublic.of(run, {"pending": run.total, "done": 0, "failed": 0,
                                       "total": run.total})


@router.get("/reinspections/{run_id}", response_model=ReinspectionPublic,
            summary="重新质检的进度")
def reinspection(run_id: int, principal: PrincipalDep, session: SessionDep
                 ) -> ReinspectionPublic:
    require_role(principal, QUEUE_VIEWERS)
    run = session.get(ReinspectionRun, run_id)
    if run is None:
        raise NotFoundError(f"重新质检 {run_id} 不存在")
    return ReinspectionPublic.of(run, run_progress(session, run_id=run_id))


@router.post("/misses", response_model=MissedFindingPublic, status_code=201, dependencies=JSON,
             summary="记录漏检：某条规则本应命中该会话（不改变得分，用于估计召回率）")
def add_miss(body: MissIn, principal: PrincipalDep, session: SessionDep, runtime: RuntimeDep
             ) -> MissedFindingPublic:
    require_role(principal, REVIEWERS)
    row = misses.add_missed_finding(session, runtime.policy, runtime.pipeline.rules, principal,
                                    conversation_id=body.conversation_id, rule_id=body.rule_id,
                                    utterance_index=body.utterance_index, comment=body.comment)
    return MissedFindingPublic.of(row)


@router.post("/samples", response_model=list[SamplePublic], status_code=201, dependencies=JSON,
             summary="抽检：按班组从周期内机器判定无问题的会话中随机抽取，进入复核队列")
def draw_samples(body: SampleDrawIn, principal: PrincipalDep, session: SessionDep,
                 runtime: RuntimeDep) -> list[SamplePublic]:
    require_role(principal, REVIEWERS)
    share = body.share or runtime.settings.review_sample_share
    drawn = misses.draw(session, principal, since=body.since, until=body.until, share=share)
    return [SamplePublic.of(row) for row in drawn]


@router.get("/samples", response_model=list[SamplePublic], summary="待复核的抽检样本")
def get_samples(principal: PrincipalDep, session: SessionDep) -> list[SamplePublic]:
    require_role(principal, QUEUE_VIEWERS)
    return [SamplePublic.of(row) for row in pending_samples(session)]


@router.post("/samples/{conversation_id}/clean", response_model=SamplePublic,
             summary="抽检复核：该会话确无漏检")
def sample_clean(conversation_id: str, principal: PrincipalDep, session: SessionDep,
                 runtime: RuntimeDep) -> SamplePublic:
    require_role(principal, REVIEWERS)
    sample = misses.close_sample(session, runtime.policy, principal,
                                 conversation_id=conversation_id)
    return SamplePublic.of(sample)

