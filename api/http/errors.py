"""The one place domain errors become HTTP responses: JSON `{"detail": message}`.

Domain errors come from the core (`inspection.errors`), the store (`models.errors`) and the
services (`api.services.uploads`); the two below belong to the HTTP layer itself. The pages
turn the same statuses into HTML error pages (`api.http.pages.rendering.PageRoute`).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.services.uploads import UploadTooLargeError
from inspection.errors import InvalidInputError, ModelLoadError, RuleConfigError, ZhijianError
from models.errors import ConflictError, NotFoundError


class UnauthenticatedError(ZhijianError):
    """No bearer token, or one that matches no user."""


class PermissionDeniedError(ZhijianError):
    """The caller's role does not allow this."""


class UnsupportedMediaTypeError(ZhijianError):
    """A request body in a content type the route does not take (JSON only as application/json)."""


STATUS_BY_ERROR: tuple[tuple[type[ZhijianError], int], ...] = (
    (UnauthenticatedError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (UploadTooLargeError, 413),
    (UnsupportedMediaTypeError, 415),
    (InvalidInputError, 422),
    (RuleConfigError, 422),
    (ModelLoadError, 503),
)


def status_for(error: ZhijianError) -> int:
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(error, kind)), 400)


async def _domain_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ZhijianError)
    status = status_for(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = []
    for item in error.errors():
        location = ".".join(str(part) for part in item.get("loc", ()) if part != "body")
        problems.append(f"{location}: {item.get('msg')}" if location else str(item.get("msg")))
    return JSONResponse({"detail": "; ".join(problems) or "请求无效", "errors": problems},
                        status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ZhijianError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
