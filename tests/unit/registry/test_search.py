"""kervan/registry/search.py: the search box tells a name from a document number from a whole
MRZ (with or without its line breaks); a person is found however the name is spelt — the other
script, a typo, the given name first — and with a date of birth the person born that day comes
before namesakes; pages count every match; a consular officer sees their own nationals only;
every search is audited."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal, Role
from kervan.errors import Forbidden
from kervan.registry import service
from kervan.registry.schemas import BirthDate, PersonCreate
from kervan.registry.search import (
    SearchQuery,
    find_persons,
    interpret_query,
    mrz_lines,
    search_persons,
)
from tests.functional.register_data import person_body

PASSPORT_MRZ = (
    "P<UZBRAHIMOV<<OTKIR<<<<<<<<<<<<<<<<<<<<<<<<<",
    "FA12345673UZB8803148<3001019<<<<<<<<<<<<<<<4",
)


def add_person(
    session: Session,
    officer: Principal,
    primary: str,
    secondary: str,
    *,
    nationality: str = "UZB",
    birth: tuple[int, int, int] = (1988, 3, 14),
    passport: str | None = None,
) -> uuid.UUID:
    documents = [{"number": passport, "issuing_state": nationality, "expiry_date": "2030-01-01"}]
    body = person_body(
        primary_name=primary,
        secondary_name=secondary,
        nationality=nationality,
        birth_date={"year": birth[0], "month": birth[1], "day": birth[2]},
        travel_documents=documents if passport else [],
    )
    return service.create_person(session, officer, PersonCreate.model_validate(body)).id


def ids(session: Session, officer: Principal, text: str, **kw: object) -> list[uuid.UUID]:
    return [hit.person.id for hit in search_persons(session, officer, text, **kw)]  # type: ignore[arg-type]


def test_a_whole_mrz_is_read_with_or_without_its_line_breaks() -> None:
    expected = SearchQuery(
        name="RAHIMOV OTKIR",
        birth_date=BirthDate(year=1988, month=3, day=14),
        document_number="FA1234567",
    )
    assert interpret_query("\n".join(PASSPORT_MRZ)) == expected
    assert interpret_query("".join(PASSPORT_MRZ)) == expected
    assert mrz_lines("".join(PASSPORT_MRZ)) == list(PASSPORT_MRZ)


def test_a_number_is_a_document_and_words_are_a_name() -> None:
    assert interpret_query(" fa 123-4567 ") == SearchQuery(document_number="FA1234567")
    assert interpret_query("Раҳимов Ўткир") == SearchQuery(name="Раҳимов Ўткир")
    # Broken check digits: not an MRZ, so taken as typed.
    broken = PASSPORT_MRZ[0] + "\n" + PASSPORT_MRZ[1].replace("3UZB", "5UZB")
    assert interpret_query(broken).birth_date is None


@given(st.text(max_size=100))
def test_any_text_is_a_name_a_number_or_an_mrz(text: str) -> None:
    query = interpret_query(text)
    assert query.name or query.document_number or not text.strip()
    if query.name and query.document_number is None:
        assert query.name == text.strip()


def test_a_person_is_found_however_the_name_is_spelt(session: Session, officer: Principal) -> None:
    rahimov = add_person(session, officer, "Раҳимов", "Ўткир")
    add_person(session, officer, "Каримов", "Бобур")
    for typed in (
        "Раҳимов Ўткир",
        "Rahimov Otkir",
        "Rakhimov Utkir",
        "Otkir Rahimov",
        "Rahimow Otkir",
    ):
        assert ids(session, officer, typed)[:1] == [rahimov], typed


def test_the_person_born_on_the_day_typed_comes_before_namesakes(
    session: Session, officer: Principal
) -> None:
    older = add_person(session, officer, "Раҳимов", "Ўткир", birth=(1970, 1, 2))
    younger = add_person(session, officer, "Раҳимов", "Ўткир", birth=(1990, 7, 8))
    born = BirthDate(year=1990, month=7, day=8)
    hits = search_persons(session, officer, "Rahimov Otkir", birth_date=born)
    assert [h.person.id for h in hits] == [younger]  # the typed year bounds the candidates
    assert "birth_date" in hits[0].matched_on and hits[0].name_parts["surname"]
    assert set(ids(session, officer, "Rahimov Otkir")) == {older, younger}


def test_a_document_number_finds_its_holder(session: Session, officer: Principal) -> None:
    holder = add_person(session, officer, "Раҳимов", "Ўткир", passport="FA1234567")
    add_person(session, officer, "Раҳимов", "Ўткир", passport="FA7654321")
    hits = search_persons(session, officer, "FA 1234567")
    assert [h.person.id for h in hits] == [holder]
    assert hits[0].matched_on == ["document_number"] and hits[0].score == 100.0
    assert ids(session, officer, "\n".join(PASSPORT_MRZ))[:1] == [holder]
    assert ids(session, officer, "FA0000000") == []


def test_pages_count_every_match_and_the_search_is_audited(
    session: Session, officer: Principal
) -> None:
    people = {
        add_person(session, officer, "Раҳимов", "Ўткир", birth=(1980 + n, 1, 1)) for n in range(5)
    }
    first = find_persons(session, officer, "Rahimov Otkir", limit=2)
    rest = find_persons(session, officer, "Rahimov Otkir", offset=2, limit=10)
    assert (first.total, len(first.hits), first.has_next) == (5, 2, True)
    assert (rest.total, len(rest.hits), rest.has_next) == (5, 3, False)
    assert {h.person.id for h in first.hits + rest.hits} == people
    details = session.scalars(
        select(AuditEntry.details).where(AuditEntry.action == "person.search")
    ).all()
    assert [d["offset"] for d in details] == [0, 2]
    assert details[0]["results"] == [str(h.person.id) for h in first.hits]


def test_a_consular_officer_sees_their_own_nationals_only(
    session: Session, officer: Principal
) -> None:
    uzbek = add_person(session, officer, "Раҳимов", "Ўткир")
    add_person(session, officer, "Rahimov", "Otkir", nationality="TJK")
    consul = Principal(user_id=None, username="consul.uzb", role=Role.CONSULAR_OFFICER, state="UZB")
    if consul.sees_only_nationality is None:
        pytest.skip("consular officers are not scoped in this configuration")
    assert ids(session, consul, "Rahimov Otkir") == [uzbek]


def test_searching_needs_the_right_to_read_the_register(session: Session) -> None:
    guard = Principal(user_id=None, username="guard", role=Role.BORDER_OFFICER, state="KAZ")
    with pytest.raises(Forbidden):
        search_persons(session, guard, "Rahimov")
