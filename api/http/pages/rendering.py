"""Templates, filters and the page route class that turns domain errors into HTML pages."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from api.http.errors import UnauthenticatedError, status_for
from api.services.access import Principal
from coaching.periods import DEFAULT_TIMEZONE
from inspection.errors import ZhijianError
from models.enums import WRITERS, AppealState, ConversationStatus, ReviewState, UserRole

logger = logging.getLogger(__name__)
PAGES_DIR = Path(__file__).resolve().parent
STATIC_URL = "/static/pages"
LOCAL_TIMEZONE = DEFAULT_TIMEZONE  # Asia/Shanghai, as coaching periods
templates = Jinja2Templates(directory=PAGES_DIR / "templates")

ROLE_LABELS = {UserRole.ADMIN: "管理员", UserRole.QA_REVIEWER: "质检员", UserRole.SUPERVISOR: "班组长",
               UserRole.AGENT: "坐席"}
SPEAKER_LABELS = {"agent": "坐席", "customer": "客户"}
SEVERITY_LABELS = {"info": "提示", "minor": "轻微", "major": "严重", "critical": "重大"}
CATEGORY_LABELS = {"compliance": "合规", "courtesy": "服务礼仪", "process": "流程", "risk": "风险"}
REVIEW_LABELS = {ReviewState.PENDING: "待复核", ReviewState.CONFIRMED: "已确认",
                 ReviewState.OVERTURNED: "已推翻"}
APPEAL_LABELS = {AppealState.NONE: "", AppealState.OPEN: "申诉中", AppealState.UPHELD: "申诉驳回",
                 AppealState.OVERTURNED: "申诉成立"}
STATUS_LABELS = {ConversationStatus.RECEIVED: "已接收", ConversationStatus.TRANSCRIBING: "转写中",
                 ConversationStatus.DONE: "已完成", ConversationStatus.FAILED: "失败"}
SENTIMENT_LABELS = {"negative": "负面", "neutral": "中性", "positive": "正面"}
ERROR_TITLES = {403: "无权访问", 404: "页面不存在", 409: "操作冲突", 422: "请求无效"}


def seconds(value: float | None) -> str:
    """`75.5` → `01:15.5` (mm:ss.s), the way a player shows positions."""
    if value is None:
        return "—"
    minutes, rest = divmod(max(value, 0.0), 60)
    return f"{int(minutes):02d}:{rest:04.1f}"


def number(value: float | None, digits: int = 1) -> str:
    """`70.0` → `70`, `87.25` → `87.3`, None → `—`."""
    if value is None:
        return "—"
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def localtime(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """Stored times are UTC; people read them in the call centre's time zone."""
    if value is None:
        return ""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(LOCAL_TIMEZONE).strftime(pattern)


def example_text(example: object) -> str:
    """A rule example as a reviewer reads it: the text, or one `角色：text` line per turn."""
    if isinstance(example, str):
        return example
    if isinstance(example, dict) and isinstance(example.get("utterances"), list):
        return "\n".join(f"{SPEAKER_LABELS.get(u.get('role', ''), u.get('role', ''))}：{u.get('text', '')}"
                         for u in example["utterances"] if isinstance(u, dict))
    return json.dumps(example, ensure_ascii=False)


def urlpart(value: str) -> str:
    return quote(value, safe="")


for name, mapping in (("role_label", ROLE_LABELS), ("speaker", SPEAKER_LABELS),
                      ("severity_label", SEVERITY_LABELS), ("category_label", CATEGORY_LABELS),
                      ("review_label", REVIEW_LABELS), ("appeal_label", APPEAL_LABELS),
                      ("status_label", STATUS_LABELS), ("sentiment_label", SENTIMENT_LABELS)):
    templates.env.filters[name] = lambda key, table=mapping: table.get(key, key) if key else ""
templates.env.filters.update(seconds=seconds, number=number, urlpart=urlpart, localtime=localtime,
                            example_text=example_text)
templates.env.globals.update(static=STATIC_URL, UserRole=UserRole, AppealState=AppealState,
                             status_labels={str(k): v for k, v in STATUS_LABELS.items()})


def nav_items(principal: Principal) -> list[tuple[str, str]]:
    """(label, href) of the pages this role may open."""
    if principal.role == UserRole.AGENT:
        return [("我的绩效", f"/agents/{urlpart(principal.agent_id or '')}")]
    items = [("复核队列", "/review"), ("团队看板", "/team"), ("规则", "/rules")]
    if principal.role in WRITERS:
        items.append(("上传", "/upload"))
    return items


def render(request: Request, template: str, principal: Principal | None, *,
           status_code: int = 200, **context: Any) -> Response:
    """A full page: the template with the navigation of `principal`'s role."""
    context.update(principal=principal, nav=nav_items(principal) if principal else [],
                   path=request.url.path)
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "error.html", None, status_code=status,
                  title=ERROR_TITLES.get(status, "出错了"), status=status, message=message)


class PageRoute(APIRoute):
    """Routes of the HTML pages: no token → the login page; a domain error → an error page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except UnauthenticatedError:
                target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
                return RedirectResponse(f"/login?next={target}", status_code=303)
            except ZhijianError as error:
                return error_page(request, status_for(error), str(error))
            except RequestValidationError as error:
                problems = "; ".join(str(item.get("msg")) for item in error.errors())
                return error_page(request, 422, problems or "请求无效")

        return page_handler
