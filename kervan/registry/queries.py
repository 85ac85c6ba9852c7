"""Lists of the register with filters, sorting and keyset pagination.

Keyset (``WHERE (sort_key, id) > (:last_key, :last_id)``) rather than OFFSET: the database walks
an index from where the previous page ended, so page 10,000 costs what page 1 does.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, select, tuple_
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import nationality_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.db.filters import where_given
from kervan.registry.enums import StayKind, StayPurpose, StayStatus
from kervan.registry.models import Person, StayDocument
from kervan.web.pagination import decode_cursor, encode_cursor, unknown_cursor

DocumentSort = Literal["valid_until", "-valid_until", "valid_from", "-valid_from", "created"]
PersonSort = Literal["name", "created"]


@dataclass(frozen=True)
class DocumentFilter:
    nationality: str | None = None
    kind: StayKind | None = None
    status: StayStatus | None = None
    purpose: StayPurpose | None = None
    expires_from: dt.date | None = None
    expires_to: dt.date | None = None
    person_id: uuid.UUID | None = None


def apply_document_filters(
    query: Select[*tuple[Any, ...]], f: DocumentFilter
) -> Select[*tuple[Any, ...]]:
    """Narrow any query that selects from ``stay_documents`` by the list filters."""
    conditions = {
        StayDocument.nationality: f.nationality,
        StayDocument.kind: f.kind,
        StayDocument.status: f.status,
        StayDocument.purpose: f.purpose,
        StayDocument.person_id: f.person_id,
    }
    expiry = (
        (f.expires_from, lambda day: StayDocument.valid_until >= day),
        (f.expires_to, lambda day: StayDocument.valid_until <= day),
    )
    return where_given(query, conditions, expiry)


def _keyset(
    query: Select[*tuple[Any, ...]], key: Any, descending: bool, cursor: str | None, parse: Any
) -> Select[*tuple[Any, ...]]:
    if cursor:
        raw_key, raw_id = decode_cursor(cursor, 2)
        try:
            last = (parse(raw_key), uuid.UUID(raw_id))
        except ValueError as exc:
            raise unknown_cursor() from exc
        pair = tuple_(key, StayDocument.id)
        query = query.where(pair < last if descending else pair > last)
    if descending:
        return query.order_by(key.desc(), StayDocument.id.desc())
    return query.order_by(key, StayDocument.id)


def list_documents(
    session: Session,
    principal: Principal,
    filters: DocumentFilter,
    *,
    sort: DocumentSort = "valid_until",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[StayDocument], str | None]:
    require(principal, Permission.REGISTER_READ)
    query = apply_document_filters(select(StayDocument), filters).where(
        nationality_scope(principal, StayDocument.nationality)
    )
    descending = sort.startswith("-")
    field = sort.lstrip("-")
    if field == "created":
        if cursor:
            (raw_id,) = decode_cursor(cursor, 1)
            query = query.where(StayDocument.id > _uuid(raw_id))
        query = query.order_by(StayDocument.id)
    else:
        key = StayDocument.valid_until if field == "valid_until" else StayDocument.valid_from
        query = _keyset(query, key, descending, cursor, dt.date.fromisoformat)
    rows = list(session.scalars(query.limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = (
            encode_cursor([last.id])
            if field == "created"
            else encode_cursor([getattr(last, field), last.id])
        )
    audit.record(
        session,
        principal,
        "stay_document.list",
        record_type="stay_document",
        details={"filters": _filters_dict(filters), "returned": len(rows)},
    )
    return rows, next_cursor


def _uuid(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise unknown_cursor() from exc


def _filters_dict(filters: DocumentFilter) -> dict[str, str]:
    return {k: str(v) for k, v in filters.__dict__.items() if v is not None}


def list_persons(
    session: Session,
    principal: Principal,
    *,
    nationality: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Person], str | None]:
    """Persons in creation order (their UUIDv7 ids), optionally of one nationality."""
    require(principal, Permission.REGISTER_READ)
    query = select(Person).where(nationality_scope(principal, Person.nationality))
    if nationality:
        query = query.where(Person.nationality == nationality)
    if cursor:
        (raw_id,) = decode_cursor(cursor, 1)
        query = query.where(Person.id > _uuid(raw_id))
    rows = list(session.scalars(query.order_by(Person.id).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].id])
    audit.record(
        session,
        principal,
        "person.list",
        record_type="person",
        details={"nationality": nationality or "", "returned": len(rows)},
    )
    return rows, next_cursor
