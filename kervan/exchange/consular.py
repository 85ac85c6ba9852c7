"""What the consulate sees: the stay documents of our nationals abroad, as their host states
reported them (read-only; the host state's register is the authority), each linked to the
signed envelope that said so. Searched by consular officers of this node's state, audited."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Permission, Principal
from kervan.errors import Forbidden, InvalidInput, NotFound
from kervan.exchange.models import ExchangeMessage, NationalAbroadDocument, NationalAbroadWaiver
from kervan.registry.naming import mrz_form


@dataclass(frozen=True, slots=True)
class NationalAbroad:
    host_state: str
    document_id: uuid.UUID
    person_id: uuid.UUID
    primary_identifier: str
    secondary_identifier: str
    birth_year: int
    travel_document_number: str
    kind: str
    number: str
    valid_from: dt.date
    valid_until: dt.date
    status: str
    last_event: str
    envelope_id: uuid.UUID
    updated_at: dt.datetime


def _in_scope(principal: Principal, node_state: str) -> bool:
    """The view holds this node's nationals only; a consul of another state sees none of them
    (an empty list, a 404 — as for any record out of scope)."""
    if not principal.can(Permission.NATIONALS_ABROAD_READ):
        raise Forbidden(f"the role {principal.role.value} may not read nationals abroad")
    return principal.state == node_state


def _cursor(row: NationalAbroadDocument) -> str:
    raw = json.dumps([row.primary_identifier, row.host_state, str(row.document_id)])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _after(cursor: str) -> tuple[str, str, uuid.UUID]:
    try:
        name, host, document = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return str(name), str(host), uuid.UUID(document)
    except (ValueError, TypeError) as exc:
        raise InvalidInput("the cursor is not one this API gave") from exc


def search(
    session: Session,
    principal: Principal,
    node_state: str,
    *,
    query: str = "",
    host_state: str | None = None,
    status: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[NationalAbroad], str | None]:
    """By surname prefix (ICAO form), or exact passport or stay document number; optionally one
    host state and one status; keyset pages by name."""
    scoped = _in_scope(principal, node_state)
    table = NationalAbroadDocument
    statement = select(table).order_by(
        table.primary_identifier, table.host_state, table.document_id
    )
    text = query.strip()
    if text:
        folded = mrz_form(text)
        statement = statement.where(
            or_(
                table.primary_identifier.startswith(folded),
                table.travel_document_number == text.upper(),
                table.number == text.upper(),
            )
        )
    if host_state:
        statement = statement.where(table.host_state == host_state.upper())
    if status:
        statement = statement.where(table.status == status)
    if cursor:
        statement = statement.where(
            tuple_(table.primary_identifier, table.host_state, table.document_id) > _after(cursor)
        )
    rows = list(session.scalars(statement.limit(limit + 1))) if scoped else []
    more = len(rows) > limit
    rows = rows[:limit]
    audit.record(
        session,
        principal,
        "nationals_abroad.search",
        record_type="nationals_abroad",
        details={
            "query": text,
            "host_state": host_state or "",
            "status": status or "",
            "results": len(rows),
        },
    )
    return [_public(r) for r in rows], (_cursor(rows[-1]) if more and rows else None)


def _public(row: NationalAbroadDocument) -> NationalAbroad:
    return NationalAbroad(**{f: getattr(row, f) for f in NationalAbroad.__dataclass_fields__})


def detail(
    session: Session, principal: Principal, node_state: str, host_state: str, document_id: uuid.UUID
) -> tuple[NationalAbroad, str, str | None]:
    """The document with the signed envelope that reported it and our receipt for it."""
    scoped = _in_scope(principal, node_state)
    row = session.get(NationalAbroadDocument, (host_state.upper(), document_id))
    if row is None or not scoped:
        raise NotFound("no such document of a national abroad")
    message = session.get(ExchangeMessage, row.envelope_id)
    audit.record(
        session,
        principal,
        "nationals_abroad.read",
        record_type="nationals_abroad",
        record_id=document_id,
        details={"host_state": row.host_state, "person_id": str(row.person_id)},
    )
    envelope = message.envelope if message else ""
    return _public(row), envelope, message.receipt if message else None


@dataclass(frozen=True, slots=True)
class WaiverAbroad:
    """A violation of a national abroad that the host state reported waived."""

    host_state: str
    violation_id: uuid.UUID
    person_id: uuid.UUID
    kind: str
    period_start: dt.date
    period_end: dt.date | None
    status: str
    measure_id: uuid.UUID | None
    measure: str | None
    reason: str | None
    waived_at: dt.datetime
    envelope_id: uuid.UUID
    updated_at: dt.datetime


def waivers_of(
    session: Session, principal: Principal, node_state: str, host_state: str, person_id: uuid.UUID
) -> list[WaiverAbroad]:
    """The waivers a host state reported for one of our nationals (its person id there), oldest
    violation first. Shown with a document of that person (``detail``, which audits the read);
    empty for a consul of another state."""
    if not _in_scope(principal, node_state):
        return []
    table = NationalAbroadWaiver
    rows = session.scalars(
        select(table)
        .where(table.host_state == host_state.upper(), table.person_id == person_id)
        .order_by(table.period_start, table.violation_id)
    )
    return [
        WaiverAbroad(**{f: getattr(r, f) for f in WaiverAbroad.__dataclass_fields__}) for r in rows
    ]
