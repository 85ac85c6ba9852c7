"""The id of the request being served, so a log line, a problem document and an audit entry
about the same request can be found together. Set by the request middleware (kervan.ops.web)."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("kervan_request_id", default=None)

# A proxy's id is kept only if it is short and plain: it ends up in logs and the audit log.
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._-]{8,64}")


def choose_request_id(incoming: str | None) -> str:
    if incoming and _ACCEPTABLE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return request_id_var.get()


def with_request_id(details: dict[str, Any] | None) -> dict[str, Any]:
    """``details`` of an audit entry, with the request id when there is one."""
    found = request_id_var.get()
    return {**(details or {}), "request_id": found} if found else dict(details or {})
