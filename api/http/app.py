"""The FastAPI app factory: the runtime and the job queue are built in the lifespan, once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.http.auth import PrincipalCache
from api.http.errors import install_error_handlers
from api.http.pages import install_pages
from api.http.routes import coaching, conversations, findings, rules
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
        try:
            yield
        finally:
            jobs.shutdown()

    app = FastAPI(
        title="质检 zhijian",
        description="呼叫中心会话全量质检服务 API。认证：Authorization: Bearer <token>"
                    "（由 `zhijian users create` 生成）。",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.principals = PrincipalCache()
    install_error_handlers(app)
    for module in (conversations, findings, rules, coaching):
        app.include_router(module.router)
    install_pages(app)

    @app.get("/healthz", tags=["health"], summary="健康检查")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
