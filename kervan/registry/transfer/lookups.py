"""What the register already holds for a chunk of rows: the persons behind its passports and its
stay documents, one join with the chunk's staged keys each, read as plain values rather than
ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.registry.models import Person, StayDocument, TravelDocument
from kervan.registry.transfer.staging import DOCUMENTS, PASSPORTS
from kervan.registry.transfer.validation import Birth

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


def fetch_persons(session: Session) -> dict[PassportKey, KnownPerson]:
    """The persons holding the staged passports (``staging.load_keys``)."""
    staged = PASSPORTS.c
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
        .select_from(PASSPORTS)
        # An exact probe of the (issuing_state, number) unique index per staged passport.
        .join(
            TravelDocument,
            (TravelDocument.issuing_state == staged.issuing_state)
            & (TravelDocument.number == staged.number),
        )
        .join(Person, Person.id == TravelDocument.person_id)
    )
    return {
        (state, number): KnownPerson(
            pid.hex, pn, sn, pat, pi, si, nat, (year, month, day), str(sex), expiry
        )
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
        ) in session.execute(query)
    }


def fetch_documents(session: Session, host_state: str) -> dict[DocumentKey, KnownDocument]:
    """The host state's stay documents with the staged kinds and numbers."""
    staged = DOCUMENTS.c
    query = (
        select(
            StayDocument.id,
            StayDocument.kind,
            StayDocument.number,
            StayDocument.person_id,
            StayDocument.purpose,
            StayDocument.valid_from,
            StayDocument.valid_until,
            StayDocument.status,
        )
        .select_from(DOCUMENTS)
        # An exact probe of the (host_state, kind, number) unique index per staged document.
        .join(
            StayDocument,
            (StayDocument.host_state == host_state)
            & (StayDocument.kind == staged.kind)
            & (StayDocument.number == staged.number),
        )
    )
    return {
        (str(kind), number): KnownDocument(
            doc_id.hex, person_id.hex, str(purpose), valid_from, valid_until, str(status)
        )
        for (
            doc_id,
            kind,
            number,
            person_id,
            purpose,
            valid_from,
            valid_until,
            status,
        ) in session.execute(query)
    }
