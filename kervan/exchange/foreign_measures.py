"""Measures other states announced (``measure.announced``): what this node received, newest
status per issuing state and reference, each linked to the signed envelope that said so.
A measure is public law and carries no personal data: officers who read measures read these;
every list and read is audited."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.errors import NotFound
from kervan.exchange.models import ExchangeMessage, ForeignMeasure
from kervan.messages import RECORD_NOT_FOUND


@dataclass(frozen=True, slots=True)
class AnnouncedMeasure:
    issuing_state: str
    reference: str
    measure_id: uuid.UUID
    legal_act: str
    legal_act_texts: dict[str, str]
    legal_number: str
    legal_date: dt.date
    period_start: dt.date
    period_end: dt.date
    title: dict[str, str]
    summary: dict[str, str]
    status: str
    announced_at: dt.datetime
    envelope_id: uuid.UUID
    first_received_at: dt.datetime
    updated_at: dt.datetime


def _public(row: ForeignMeasure) -> AnnouncedMeasure:
    fields = AnnouncedMeasure.__dataclass_fields__
    return AnnouncedMeasure(**{f: getattr(row, f) for f in fields})


def list_foreign(
    session: Session,
    principal: Principal,
    *,
    issuing_state: str | None = None,
    status: str | None = None,
) -> list[AnnouncedMeasure]:
    """Newest period first. There are few measures: no paging."""
    require(principal, Permission.MEASURES_READ)
    table = ForeignMeasure
    statement = select(table).order_by(
        table.period_start.desc(), table.issuing_state, table.reference
    )
    if issuing_state:
        statement = statement.where(table.issuing_state == issuing_state.upper())
    if status:
        statement = statement.where(table.status == status)
    rows = list(session.scalars(statement))
    audit.record(
        session,
        principal,
        "foreign_measures.list",
        record_type="foreign_measure",
        details={
            "issuing_state": issuing_state or "",
            "status": status or "",
            "results": len(rows),
        },
    )
    return [_public(r) for r in rows]


def get_foreign(
    session: Session, principal: Principal, issuing_state: str, reference: str
) -> tuple[AnnouncedMeasure, str, str | None]:
    """One announced measure with the signed envelope that last announced it and this node's
    receipt for it."""
    require(principal, Permission.MEASURES_READ)
    row = session.get(ForeignMeasure, (issuing_state.upper(), reference))
    if row is None:
        raise NotFound(
            f"no measure {reference} announced by {issuing_state.upper()}",
            code=RECORD_NOT_FOUND,
            params={"reference": reference, "state": issuing_state.upper()},
        )
    message = session.get(ExchangeMessage, row.envelope_id)
    audit.record(
        session,
        principal,
        "foreign_measures.read",
        record_type="foreign_measure",
        record_id=row.measure_id,
        details={"issuing_state": row.issuing_state, "reference": row.reference},
    )
    return (
        _public(row),
        (message.envelope if message else ""),
        (message.receipt if message else None),
    )
