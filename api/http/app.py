"""The FastAPI app factory: the runtime and the job queue are built in the lifespan, once.

Every response carries the security headers of `api.http.headers`; every JSON route of
`findings` takes its body only as `application/json` (`api.http.deps.require_json_body`); the
API docs are for signed-in users (`api.http.docs`)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api.http.deps import require_json_body
from api.http.docs import install_docs
from api.http.errors import install_error_handlers
from api.http.headers import SecurityHeaders
from api.http.pages import install_pages
from api.http.pages.rendering import STATIC_URL
from api.http.routes import coaching, conversations, findings, rules
from api.jobs.reinspection import make_reinspection_queue, resume_reinspections
from api.jobs.runner import make_job_queue, resume_unfinished
from api.runtime import Runtime, build_runtime
from api.settings import Settings, get_settings

logger = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """Build the app. Tests pass their own settings (e.g. another database URL)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        built = runtime or build_runtime(settings or get_settings())
        built.warm_up()  # load the sentiment model now, not inside the first request's job
        jobs = make_job_queue(built)
        app.state.runtime, app.state.jobs = built, jobs
        resumed = resume_unfinished(built, jobs)
        if resumed:
            logger.info("重新排队 %d 通未完成的会话", resumed)
        app.state.reinspections = make_reinspection_queue(built)
        if resumed := resume_reinspections(built, app.state.reinspections):
            logger.info("继续 %d 通会话的重新质检", resumed)
        try:
            yield
        finally:
            app.state.reinspections.shutdown()
            jobs.shutdown()
            if runtime is None:  # built here: close its pooled database connections too
                built.engine.dispose()

    app = FastAPI(
        title="质检 zhijian",
        description="呼叫中心会话全量质检服务 API。认证：Authorization: Bearer <token>"
                    "（由 `zhijian users create` 生成）。",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=None, docs_url=None, redoc_url=None,  # served to signed-in users below
    )
    app.add_middleware(SecurityHeaders, cacheable_prefix=STATIC_URL)
    install_error_handlers(app)
    for module in (conversations, rules, coaching):
        app.include_router(module.router)
    app.include_router(findings.router, dependencies=[Depends(require_json_body)])
    install_pages(app)
    install_docs(app)

    @app.get("/healthz", tags=["health"], summary="健康检查")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
