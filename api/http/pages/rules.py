"""The rules pages: the published rules with their agreement figures and alerts (`/rules`), the
versions with upload, publications and re-inspections (`/rules/versions`), and one version with
its dry-run diff, publish and re-inspect (`/rules/versions/{n}`). The forms post to the JSON API
(`api/http/routes/rules.py`) from `static/rules.js`."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from api.http.auth import require_role
from api.http.deps import PrincipalDep, RuntimeDep, SessionDep
from api.http.pages.rendering import PageRoute, render
from api.services.rules import agreement_stats, precision_alerts_of, rules_by_pack
from models.enums import QUEUE_VIEWERS, REVIEWERS
from models.repository.reinspection import list_runs, run_progress
from models.repository.rule_packs import get_version, list_publications, list_versions
from models.repository.sampling import pending_samples

router = APIRouter(route_class=PageRoute, include_in_schema=False)


@router.get("/rules")
def rules_page(request: Request, principal: PrincipalDep, session: SessionDep,
               runtime: RuntimeDep) -> Response:
    require_role(principal, QUEUE_VIEWERS)
    stats = agreement_stats(session, runtime.pipeline.rules)
    return render(request, "rules.html", principal,
                  packs=rules_by_pack(runtime.pipeline.rules, session),
                  agreement={row["rule_id"]: row for row in stats},
                  alerts=precision_alerts_of(stats), version=runtime.rules_version,
                  samples=pending_samples(session), can_edit=principal.role in REVIEWERS)


@router.get("/rules/versions")
def versions_page(request: Request, principal: PrincipalDep, session: SessionDep,
                  runtime: RuntimeDep) -> Response:
    require_role(principal, QUEUE_VIEWERS)
    publications = list_publications(session, limit=100_000)
    runs = [(run, run_progress(session, run_id=run.id)) for run in list_runs(session)
            if run.id is not None]
    return render(request, "rule_versions.html", principal, versions=list_versions(session),
                  published=runtime.rules_version, publications=publications[:50], runs=runs,
                  ever={p.version for p in publications}, can_edit=principal.role in REVIEWERS)


@router.get("/rules/versions/{version}")
def version_page(version: int, request: Request, principal: PrincipalDep, session: SessionDep,
                 runtime: RuntimeDep) -> Response:
    require_role(principal, QUEUE_VIEWERS)
    row = get_version(session, version=version)
    ever = {p.version for p in list_publications(session, limit=100_000)}
    dry = row.dry_run or None
    return render(request, "rule_version.html", principal, row=row,
                  published=runtime.rules_version, was_published=version in ever, dry=dry,
                  changed=[r for r in (dry or {}).get("rules", [])
                           if r["newly_flagged"] or r["newly_cleared"]],
                  can_edit=principal.role in REVIEWERS)
