"""kervan/registry/queries.py: keyset pages of stay documents and persons — in every sort,
pages of any size return every row exactly once in order, ties on a date broken by id; the
expiry filters include their ends; a cursor this server did not give out is refused."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.errors import InvalidInput
from kervan.registry.models import StayDocument
from kervan.registry.queries import DocumentFilter, DocumentSort, list_documents, list_persons
from kervan.web.pagination import encode_cursor
from tests.unit.registry.register_support import new_document, new_person

ENDS = ["2026-07-01", "2026-07-01", "2026-07-01", "2026-08-15", "2026-06-30"]


def _register(session: Session, officer: Principal) -> list[uuid.UUID]:
    person = new_person(session, officer)
    return [new_document(session, officer, person, "2026-01-01", end) for end in ENDS]


def _all_pages(
    session: Session, officer: Principal, sort: DocumentSort, size: int
) -> list[StayDocument]:
    found: list[StayDocument] = []
    cursor = None
    while True:
        page, cursor = list_documents(
            session, officer, DocumentFilter(), sort=sort, cursor=cursor, limit=size
        )
        found += page
        if cursor is None:
            return found


@pytest.mark.parametrize("sort", ["valid_until", "-valid_until", "valid_from", "created"])
def test_pages_of_any_size_return_every_document_once_in_order(
    session: Session, officer: Principal, sort: DocumentSort
) -> None:
    ids = _register(session, officer)
    field = sort.lstrip("-")
    descending = sort.startswith("-")
    for size in (1, 2, 3, 10):
        found = _all_pages(session, officer, sort, size)
        assert sorted(d.id for d in found) == sorted(ids)
        if field == "created":
            keys = [(d.id,) for d in found]
        else:
            keys = [(getattr(d, field), d.id) for d in found]
        assert keys == sorted(keys, reverse=descending)


def test_the_expiry_filters_include_their_ends(session: Session, officer: Principal) -> None:
    _register(session, officer)
    window = DocumentFilter(expires_from=dt.date(2026, 7, 1), expires_to=dt.date(2026, 8, 15))
    found, _ = list_documents(session, officer, window)
    assert sorted(d.valid_until.isoformat() for d in found) == sorted(ENDS)[1:]


def test_a_cursor_not_given_out_here_is_refused(session: Session, officer: Principal) -> None:
    _register(session, officer)
    forged = [
        encode_cursor(["not a date", uuid.uuid4()]),
        encode_cursor(["2026-07-01", "not an id"]),
        "not-base64!",
    ]
    for cursor in forged:
        with pytest.raises(InvalidInput):
            list_documents(session, officer, DocumentFilter(), cursor=cursor)
    with pytest.raises(InvalidInput):
        list_persons(session, officer, cursor=encode_cursor(["not an id"]))


def test_persons_come_in_creation_order_and_by_nationality(
    session: Session, officer: Principal
) -> None:
    made = [new_person(session, officer, n) for n in ("UZB", "TUR", "UZB")]
    first, cursor = list_persons(session, officer, limit=2)
    rest, end = list_persons(session, officer, cursor=cursor, limit=2)
    assert [p.id for p in first + rest] == made and end is None
    uzbeks, _ = list_persons(session, officer, nationality="UZB")
    assert [p.id for p in uzbeks] == [made[0], made[2]]
