"""Lists of stay documents an officer acts on, opened from the home page's figures: the valid
ones, those ending within the horizon, and those expired but not closed. Keyset pages
(``kervan.registry.queries``), persons fetched for the whole page at once."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from kervan.accounts.roles import Permission, Principal
from kervan.registry.enums import StayStatus
from kervan.registry.queries import DocumentFilter, DocumentSort, list_documents
from kervan.registry.stats import EXPIRY_HORIZON_DAYS
from kervan.registry.status import persons_by_id
from kervan.web.deps import SessionDep, policy
from kervan.web.templating import PageDep

router = APIRouter(include_in_schema=False)

Show = Literal["valid", "expiring", "expired"]
PAGE_SIZE = 50


def document_filter(show: Show, today: dt.date) -> tuple[DocumentFilter, DocumentSort]:
    """The same windows as the home page's figures (``kervan.registry.stats``)."""
    active = StayStatus.ACTIVE
    if show == "expiring":
        horizon = today + dt.timedelta(days=EXPIRY_HORIZON_DAYS)
        return DocumentFilter(status=active, expires_from=today, expires_to=horizon), "valid_until"
    if show == "expired":
        yesterday = today - dt.timedelta(days=1)
        return DocumentFilter(status=active, expires_to=yesterday), "-valid_until"
    return DocumentFilter(status=active, expires_from=today), "valid_until"


@router.get("/documents")
def documents_page(
    page: PageDep,
    session: SessionDep,
    show: Show = "expiring",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    principal: Principal = policy(Permission.REGISTER_READ),
) -> Response:
    today = dt.date.today()
    filters, sort = document_filter(show, today)
    documents, next_cursor = list_documents(
        session, principal, filters, sort=sort, cursor=cursor, limit=PAGE_SIZE
    )
    persons = persons_by_id(session, principal, [d.person_id for d in documents])
    return page.render(
        "registry/documents.html",
        show=show,
        documents=documents,
        persons=persons,
        next_cursor=next_cursor,
        continued=cursor is not None,
        horizon_days=EXPIRY_HORIZON_DAYS,
    )
