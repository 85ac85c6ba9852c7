"""Persons and stay documents for the registry's unit tests, through the register's service."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.registry import service
from kervan.registry.schemas import PersonCreate, StayDocumentCreate
from tests.functional.register_data import document_body, person_body


def new_person(session: Session, officer: Principal, nationality: str = "UZB") -> uuid.UUID:
    body = person_body(nationality=nationality, travel_documents=[])
    return service.create_person(session, officer, PersonCreate.model_validate(body)).id


def new_document(
    session: Session, officer: Principal, person: uuid.UUID, valid_from: str, valid_until: str
) -> uuid.UUID:
    """A work permit in KAZ (``WK`` and eight digits, a fresh number each time)."""
    number = f"WK{uuid.uuid4().int % 10**8:08d}"
    body = document_body(number=number, valid_from=valid_from, valid_until=valid_until)
    data = StayDocumentCreate.model_validate(body)
    return service.issue_document(session, officer, person, data, host_state="KAZ").id
