"""Pages of a list, one way for every list route and page: keyset cursors (never offsets: a
register of millions pages as fast at the end as at the start), one cursor encoding, one page
size rule, one response shape.

* ``PageSize``: the ``limit`` query parameter; at most ``Settings.page_size_max`` (a larger one
  is refused with a coded 422, not silently cut, so a client knows its page is not whole).
* ``encode_cursor`` / ``decode_cursor``: the sort key of the last row of a page, as an opaque
  URL-safe string; a cursor this node did not give out is a coded 422 (``input.cursor-unknown``).
* ``Page``: ``items`` and ``next_cursor`` (absent on the last page).

The audit log's cursor is its entry number (``accounts.audit_params``): a public, documented
position in a hash chain, so it stays a number."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field

from kervan.errors import FieldError, InvalidInput
from kervan.messages import CURSOR_UNKNOWN, PAGE_TOO_LARGE

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50
PAGE_SIZE_CEILING = 10_000  # what the schema admits; the node's setting is the real bound
MAX_CURSOR_CHARS = 2_000  # a sort key of a few names and an id, encoded: far less


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; absent on the last page"
    )


def page_size(
    request: Request,
    limit: Annotated[
        int,
        Query(
            ge=1,
            le=PAGE_SIZE_CEILING,
            description="Items per page, at most the node's page_size_max (500 by default)",
        ),
    ] = DEFAULT_PAGE_SIZE,
) -> int:
    largest = request.app.state.settings.page_size_max
    if limit > largest:
        raise InvalidInput(
            f"at most {largest} items per page",
            code=PAGE_TOO_LARGE,
            params={"largest": largest},
            errors=[
                FieldError("limit", f"at most {largest}", PAGE_TOO_LARGE, {"largest": largest})
            ],
        )
    return limit


PageSize = Annotated[int, Depends(page_size)]
Cursor = Annotated[
    str | None,
    Query(max_length=MAX_CURSOR_CHARS, description="`next_cursor` of the previous page"),
]


def encode_cursor(values: Sequence[Any]) -> str:
    """The sort key of a page's last row, each value as text (dates in ISO form)."""
    plain = [v.isoformat() if isinstance(v, dt.date) else str(v) for v in values]
    raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, size: int | None = None) -> list[str]:
    """The values ``encode_cursor`` wrote, as text; ``size`` how many there must be (None:
    any). The caller parses each (a date, a UUID) and refuses with ``unknown_cursor()``."""
    try:
        if len(cursor) > MAX_CURSOR_CHARS:
            raise ValueError("too long")
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise unknown_cursor() from exc
    if not isinstance(values, list) or (size is not None and len(values) != size):
        raise unknown_cursor()
    if not all(isinstance(v, str) for v in values):
        raise unknown_cursor()
    return values


def unknown_cursor() -> InvalidInput:
    return InvalidInput(
        "the cursor is not one this server gave out",
        code=CURSOR_UNKNOWN,
        errors=[FieldError("cursor", "not a cursor this server gave out", CURSOR_UNKNOWN)],
    )
