"""Request bodies read only up to a limit: `Annotated[bytes, body_up_to(LIMIT)]` in a route.

A body whose declared `Content-Length` is over the limit is refused before a byte is read; a
body without one (chunked) is read chunk by chunk and refused as soon as it passes the limit.
Either way the answer is 413 (`UploadTooLargeError`), and the server never holds more than the
limit of it in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Depends, Request

from api.services.uploads import check_declared_size, read_limited


def body_up_to(limit: int) -> Any:
    """A dependency giving the request body, at most `limit` bytes of it."""
    return Depends(_reader(limit))


def _reader(limit: int) -> Callable[[Request], Awaitable[bytes]]:
    async def read_body(request: Request) -> bytes:
        check_declared_size(request.headers.get("content-length"), limit)
        return await read_limited(request.stream(), limit)

    return read_body
