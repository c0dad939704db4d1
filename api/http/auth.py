"""Authentication at the edge: recently seen tokens cached in memory, and role checks."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from api.http.errors import PermissionDeniedError
from api.services.access import Principal
from models.enums import UserRole, ordered


def require_role(principal: Principal, roles: frozenset[UserRole]) -> None:
    """`PermissionDeniedError` (403) unless the caller's role is one of `roles`
    (a role group of `models.enums`)."""
    if principal.role not in roles:
        allowed = " / ".join(ordered(roles))
        raise PermissionDeniedError(f"角色 {principal.role} 无权执行此操作（需要 {allowed}）")


@dataclass
class PrincipalCache:
    """Recently authenticated tokens (by hash), so a request needs no database query to know
    its caller. A user's role or scope change reaches cached tokens within `ttl_seconds`."""

    ttl_seconds: float = 60.0
    max_entries: int = 10_000
    _entries: dict[str, tuple[float, Principal]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, token_hash: str) -> Principal | None:
        with self._lock:
            entry = self._entries.get(token_hash)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, token_hash: str, principal: Principal) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[token_hash] = (time.monotonic() + self.ttl_seconds, principal)
