"""The upload page, and the helper that turns a chat CSV file into canonical conversation JSON.

The browser submits each conversation (JSON as it is, CSV after this conversion) to
`POST /api/conversations` (the API's own path, with the session cookie) and polls its
status until the job is done.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from api.http.auth import require_role
from api.http.deps import PrincipalDep
from api.http.pages.rendering import PageRoute, render
from api.services.conversations import chat_csv_as_json
from api.services.uploads import UploadTooLargeError, decode_text
from models.enums import WRITERS

router = APIRouter(route_class=PageRoute, include_in_schema=False)
helpers = APIRouter(prefix="/pages/api", tags=["pages"])
MAX_TEXT_BYTES = 20 * 1024 * 1024


@router.get("/upload")
def upload_page(request: Request, principal: PrincipalDep) -> Response:
    require_role(principal, WRITERS)
    return render(request, "upload.html", principal)


@helpers.post("/chat-csv", summary="把聊天 CSV 转换为标准会话 JSON 列表（不入库）")
async def parse_upload(request: Request, principal: PrincipalDep, filename: str = "chat.csv"
                       ) -> list[dict[str, Any]]:
    require_role(principal, WRITERS)
    body = await request.body()
    if len(body) > MAX_TEXT_BYTES:
        raise UploadTooLargeError(f"文件过大：超过 {MAX_TEXT_BYTES} 字节")
    text = decode_text(body, source=filename, not_utf8="文件不是 UTF-8 编码，可能是 GBK：请另存为 UTF-8")
    return chat_csv_as_json(text, filename=filename)
