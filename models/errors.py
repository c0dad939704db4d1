"""What the store says when a request does not fit what it holds. The HTTP layer maps these
(`api/http/errors.py`: 404, 409); the command line reports them like any `ZhijianError`."""

from __future__ import annotations

from inspection.errors import ZhijianError


class NotFoundError(ZhijianError):
    """An id that names nothing held: a conversation, finding, appeal or agent not in the store
    (or not visible to the caller), a coaching template that does not exist."""


class ConflictError(ZhijianError):
    """The request conflicts with stored state: the same id with another body, a second appeal,
    an appeal decided twice."""


__all__ = ["ConflictError", "NotFoundError"]
