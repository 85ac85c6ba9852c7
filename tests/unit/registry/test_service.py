"""kervan/registry/service.py: the register's rules one record at a time — a passport belongs to
one person; a date of birth is a real day, not in the future; a correction must change something
and its history names only what changed; a nationality corrected reaches every copy; a stay
document number is taken once per kind and host state, only an active document is extended,
revoked or cancelled; a violation's fine needs its currency; a record out of a consular
officer's scope looks exactly like an absent one."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.errors import Conflict, InvalidInput, NotFound
from kervan.registry import messages, service
from kervan.registry.enums import StayStatus, ViolationKind, ViolationStatus
from kervan.registry.models import PersonEvent, StayDocument
from kervan.registry.schemas import (
    BirthDate,
    PersonCorrection,
    PersonCreate,
    PersonFromMRZ,
    StayDocumentCorrection,
    ViolationCreate,
)
from tests.functional.register_data import person_body
from tests.unit.registry.register_support import new_document, new_person

CONSUL_TJK = Principal(user_id=None, username="consul.tjk", role=Role.CONSULAR_OFFICER, state="TJK")


def test_a_person_is_created_with_a_history_entry(session: Session, officer: Principal) -> None:
    person = service.create_person(session, officer, PersonCreate.model_validate(person_body()))
    assert (person.primary_identifier, person.secondary_identifier) == ("RAHIMOV", "UTKIR")
    [event] = service.person_history(session, officer, person.id)
    assert event.kind == "created" and event.new_values["birth_date"] == "1988-03-14"


def test_a_passport_belongs_to_one_person(session: Session, officer: Principal) -> None:
    first = service.create_person(session, officer, PersonCreate.model_validate(person_body()))
    with pytest.raises(Conflict) as refused:
        service.create_person(session, officer, PersonCreate.model_validate(person_body()))
    assert refused.value.code == messages.TRAVEL_DOCUMENT_TAKEN
    assert refused.value.extra["person_id"] == str(first.id)


@pytest.mark.parametrize(
    "birth",
    [
        {"year": 1990, "month": 2, "day": 30},
        {"year": dt.date.today().year + 1},
        (dt.date.today() + dt.timedelta(days=1)).isoformat(),
    ],
)
def test_a_date_of_birth_is_a_real_day_not_in_the_future(
    session: Session, officer: Principal, birth: object
) -> None:
    if isinstance(birth, str):
        year, month, day = map(int, birth.split("-"))
        birth = {"year": year, "month": month, "day": day}
    body = person_body(birth_date=birth, travel_documents=[])
    with pytest.raises(InvalidInput) as refused:
        service.create_person(session, officer, PersonCreate.model_validate(body))
    assert [e.field for e in refused.value.errors] == ["birth_date"]


def test_a_correction_names_only_what_it_changed(session: Session, officer: Principal) -> None:
    person_id = new_person(session, officer)
    fix = PersonCorrection(secondary_name="Ўктам", sex="M", reason="typo at registration")
    person = service.correct_person(session, officer, person_id, fix)
    assert person.secondary_identifier == "UKTAM"  # the derived columns follow the name
    event = session.scalars(select(PersonEvent).where(PersonEvent.kind == "corrected")).one()
    assert event.old_values == {"secondary_name": "Ўткир", "secondary_identifier": "UTKIR"}
    assert event.new_values == {"secondary_name": "Ўктам", "secondary_identifier": "UKTAM"}
    with pytest.raises(InvalidInput) as refused:
        service.correct_person(session, officer, person_id, fix)
    assert refused.value.code == messages.CORRECTION_CHANGES_NOTHING


def test_a_corrected_nationality_reaches_every_copy(session: Session, officer: Principal) -> None:
    person_id = new_person(session, officer)
    document_id = new_document(session, officer, person_id, "2026-01-01", "2026-12-31")
    fix = PersonCorrection(nationality="TJK", reason="second passport")
    service.correct_person(session, officer, person_id, fix)
    assert session.get_one(StayDocument, document_id).nationality == "TJK"


def test_a_document_number_is_taken_once(session: Session, officer: Principal) -> None:
    person_id = new_person(session, officer)
    document_id = new_document(session, officer, person_id, "2026-01-01", "2026-12-31")
    number = session.get_one(StayDocument, document_id).number
    other = new_document(session, officer, person_id, "2026-01-01", "2026-12-31")
    with pytest.raises(Conflict) as refused:
        service.correct_document(
            session, officer, other, StayDocumentCorrection(number=number, reason="typo")
        )
    assert refused.value.code == messages.NUMBER_TAKEN


def test_only_an_active_document_is_extended_revoked_or_cancelled(
    session: Session, officer: Principal
) -> None:
    document_id = new_document(
        session, officer, new_person(session, officer), "2026-01-01", "2026-06-30"
    )
    with pytest.raises(InvalidInput) as not_later:
        service.extend_document(session, officer, document_id, dt.date(2026, 6, 30), "same day")
    assert not_later.value.code == messages.EXTENSION_NOT_LATER
    extended = service.extend_document(
        session, officer, document_id, dt.date(2026, 12, 31), "renewed contract"
    )
    assert extended.valid_until == dt.date(2026, 12, 31)
    assert service.revoke_document(session, officer, document_id, "breach").status is (
        StayStatus.REVOKED
    )
    for end in (service.revoke_document, service.cancel_document):
        with pytest.raises(Conflict) as ended:
            end(session, officer, document_id, "again")
        assert ended.value.code == messages.DOCUMENT_NOT_ACTIVE
    kinds = [e.kind for e in service.document_history(session, officer, document_id)]
    assert [str(k) for k in kinds] == ["issued", "extended", "revoked"]


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(0, 400), st.integers(-30, 400))
def test_a_document_never_ends_before_it_begins(
    session: Session, officer: Principal, start: int, length: int
) -> None:
    person_id = new_person(session, officer)
    begins = dt.date(2026, 1, 1) + dt.timedelta(days=start)
    ends = begins + dt.timedelta(days=length)
    try:
        new_document(session, officer, person_id, begins.isoformat(), ends.isoformat())
    except InvalidInput as refused:
        assert length < 0 and [e.field for e in refused.errors] == ["valid_until"]
    else:
        assert length >= 0
    finally:
        session.rollback()


def test_a_fine_needs_its_currency_and_a_period_its_order(
    session: Session, officer: Principal
) -> None:
    person_id = new_person(session, officer)
    bad = ViolationCreate(
        kind=ViolationKind.OVERSTAY,
        period_start=dt.date(2026, 5, 1),
        period_end=dt.date(2026, 4, 1),
        fine_amount=Decimal("100.00"),
        document_id=uuid.uuid4(),
    )
    with pytest.raises(InvalidInput) as refused:
        service.record_violation(session, officer, person_id, bad)
    assert {e.field for e in refused.value.errors} == {"period_end", "fine_currency", "document_id"}
    good = bad.model_copy(update={"period_end": None, "fine_currency": "KZT", "document_id": None})
    violation = service.record_violation(session, officer, person_id, good)
    waived = service.waive_violation(session, officer, violation.id, "first time", host_state="KAZ")
    assert waived.status is ViolationStatus.WAIVED and "first time" in waived.notes
    with pytest.raises(Conflict) as again:
        service.waive_violation(session, officer, violation.id, "again", host_state="KAZ")
    assert again.value.code == messages.CANNOT_WAIVE


def test_out_of_scope_looks_like_absent(session: Session, officer: Principal) -> None:
    uzbek = new_person(session, officer)
    for person_id in (uzbek, uuid.uuid4()):
        with pytest.raises(NotFound) as hidden:
            service.get_person(session, CONSUL_TJK, person_id)
        assert hidden.value.code == messages.NOT_FOUND
        assert str(person_id) in hidden.value.detail


def test_a_person_is_registered_from_a_passports_mrz(session: Session, officer: Principal) -> None:
    mrz = [
        "P<UZBRAHIMOV<<OTKIR<<<<<<<<<<<<<<<<<<<<<<<<<",
        "FA12345673UZB8803148<3001019<<<<<<<<<<<<<<<4",
    ]
    person = service.create_person_from_mrz(
        session, officer, PersonFromMRZ(mrz=mrz, primary_name="Раҳимов")
    )
    assert (person.primary_name, person.secondary_name) == ("Раҳимов", "OTKIR")
    assert service.birth_date_text(person) == BirthDate(year=1988, month=3, day=14).text()
    [passport] = person.travel_documents
    assert (passport.number, str(passport.document_type)) == ("FA1234567", "passport")
