"""What the register already holds for a chunk of rows: the persons behind its passports and its
stay documents, one query each, read as plain values rather than ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, any_, bindparam, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import InstrumentedAttribute, Session

from kervan.registry.models import Person, StayDocument, TravelDocument
from kervan.registry.transfer.validation import Birth, ParsedRow

PassportKey = tuple[str, str]  # (issuing state, number)
DocumentKey = tuple[str, str]  # (kind, number) within the host state


@dataclass(slots=True)
class KnownPerson:
    id: str  # hex, as ``storage`` writes ids
    primary_name: str
    secondary_name: str
    patronymic: str
    primary_identifier: str
    secondary_identifier: str
    nationality: str
    birth: Birth
    sex: str
    passport_expiry: dt.date | None

    def basics(self) -> tuple[Any, ...]:
        return (
            self.primary_name,
            self.secondary_name,
            self.patronymic,
            self.nationality,
            self.birth,
            self.sex,
        )


@dataclass(slots=True)
class KnownDocument:
    id: str
    person_id: str
    purpose: str
    valid_from: dt.date
    valid_until: dt.date
    status: str
    # The insert row while the document is new in this chunk: a correction amends it in place.
    pending: dict[str, Any] | None = None


def fetch_persons(session: Session, rows: list[ParsedRow]) -> dict[PassportKey, KnownPerson]:
    wanted = {(r.passport_issuing_state, r.passport_number) for r in rows}
    query = (
        select(
            TravelDocument.issuing_state,
            TravelDocument.number,
            TravelDocument.expiry_date,
            Person.id,
            Person.primary_name,
            Person.secondary_name,
            Person.patronymic,
            Person.primary_identifier,
            Person.secondary_identifier,
            Person.nationality,
            Person.birth_year,
            Person.birth_month,
            Person.birth_day,
            Person.sex,
        )
        .join(Person, Person.id == TravelDocument.person_id)
        .where(_one_of(session, TravelDocument.number, {number for _, number in wanted}))
    )
    found: dict[PassportKey, KnownPerson] = {}
    for (
        state,
        number,
        expiry,
        pid,
        pn,
        sn,
        pat,
        pi,
        si,
        nat,
        year,
        month,
        day,
        sex,
    ) in session.execute(query):
        if (state, number) in wanted:
            found[state, number] = KnownPerson(
                pid.hex, pn, sn, pat, pi, si, nat, (year, month, day), str(sex), expiry
            )
    return found


def fetch_documents(
    session: Session, host_state: str, rows: list[ParsedRow]
) -> dict[DocumentKey, KnownDocument]:
    wanted = {(r.document_kind, r.document_number) for r in rows}
    numbers_by_kind: dict[str, set[str]] = {}
    for kind, number in wanted:
        numbers_by_kind.setdefault(kind, set()).add(number)
    columns = (
        StayDocument.id,
        StayDocument.kind,
        StayDocument.number,
        StayDocument.person_id,
        StayDocument.purpose,
        StayDocument.valid_from,
        StayDocument.valid_until,
        StayDocument.status,
    )
    # One branch per kind, each an exact probe of the (host_state, kind, number) unique index
    # per number: a kind list crossed with a number list would probe every kind for each number.
    query = union_all(
        *(
            select(*columns).where(
                StayDocument.host_state == host_state,
                StayDocument.kind == kind,
                _one_of(session, StayDocument.number, numbers),
            )
            for kind, numbers in sorted(numbers_by_kind.items())
        )
    )
    found: dict[DocumentKey, KnownDocument] = {}
    for (
        doc_id,
        kind,
        number,
        person_id,
        purpose,
        valid_from,
        valid_until,
        status,
    ) in session.execute(query):
        key = (str(kind), number)
        if key in wanted:
            found[key] = KnownDocument(
                doc_id.hex, person_id.hex, str(purpose), valid_from, valid_until, str(status)
            )
    return found


def _one_of(
    session: Session, column: InstrumentedAttribute[str], values: set[str]
) -> ColumnElement[bool]:
    """``column IN values``: on PostgreSQL as one array parameter (``= ANY``), since an IN list
    of 5,000 items is 5,000 parameters to render, send and plan; on SQLite as an IN list."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, sorted(values), type_=ARRAY(String())))
    return column.in_(sorted(values))
