"""``POST /api/v1/exit-check``: lawful stays, overstays waived or not by a measure in force,
unknown passports and bad MRZs — on both databases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role
from tests.functional.benefits_support import (
    TODAY,
    in_force_measure,
    passport_mrz,
    record_overstay,
    seed_traveller,
)
from tests.functional.conftest import ClientFactory
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module


def test_lawful_stay_may_exit(
    client_as: ClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, document = seed_traveller(app_sessions)
    response = client_as(Role.BORDER_OFFICER).post(
        "/api/v1/exit-check", json={"mrz": passport_mrz()}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["traveller"]["id"] == str(person)
    assert body["lawful"] is True
    assert body["covering_document"]["id"] == str(document)
    assert body["may_exit_without_penalty"] is True
    assert body["overstay_waived_by"] is None
    with app_sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "exit.check")).one()
    assert entry.record_id == str(person)
    assert entry.details["may_exit_without_penalty"] is True


def test_overstay_waived_by_a_measure_in_force_is_cited(
    client_as: ClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    ended = TODAY - dt.timedelta(days=10)
    person, _ = seed_traveller(app_sessions, valid_until=ended)
    violation = record_overstay(app_sessions, person, ended + dt.timedelta(days=1))
    measure = in_force_measure(app_sessions)
    response = client_as(Role.BORDER_OFFICER).post(
        "/api/v1/exit-check", json={"passport_number": "fa1234567", "issuing_state": "UZB"}
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["lawful"] is False
    assert body["overstay_since"] == (ended + dt.timedelta(days=1)).isoformat()
    cited = body["overstay_waived_by"]
    assert cited["id"] == str(measure)
    assert cited["title"] == "Quarantine regime"
    assert cited["legal_basis"].startswith("Decree of the Government No. 123")
    # The recorded violation is still open (no apply pass ran): not without penalty yet.
    assert [v["id"] for v in body["violations"]] == [str(violation)]
    assert body["may_exit_without_penalty"] is False


def test_overstay_without_violation_waived_may_exit(
    client_as: ClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_traveller(app_sessions, valid_until=TODAY - dt.timedelta(days=3))
    measure = in_force_measure(app_sessions)
    body = (
        client_as(Role.MIGRATION_OFFICER)
        .post("/api/v1/exit-check", json={"mrz": passport_mrz()})
        .json()
    )
    assert body["lawful"] is False
    assert body["overstay_waived_by"]["id"] == str(measure)
    assert body["may_exit_without_penalty"] is True


def test_overstay_not_waived(client_as: ClientFactory, app_sessions: sessionmaker[Session]) -> None:
    seed_traveller(app_sessions, nationality="RUS", valid_until=TODAY - dt.timedelta(days=3))
    # In force, but for member states' nationals only; and one whose waiver ended already.
    in_force_measure(app_sessions)
    in_force_measure(
        app_sessions,
        scope={"nationality": ["RUS"]},
        start=TODAY - dt.timedelta(days=60),
        end=TODAY - dt.timedelta(days=1),
        reference="KAZ-TEST-02",
    )
    body = (
        client_as(Role.BORDER_OFFICER)
        .post("/api/v1/exit-check", json={"mrz": passport_mrz(nationality="RUS")})
        .json()
    )
    assert body["lawful"] is False
    assert body["overstay_waived_by"] is None
    assert body["may_exit_without_penalty"] is False
    assert "no measure in force waives the overstay" in body["reasons"]


def test_unknown_passport_is_a_404_problem(
    client_as: ClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    response = client_as(Role.BORDER_OFFICER).post(
        "/api/v1/exit-check", json={"passport_number": "ZZ0000000", "issuing_state": "UZB"}
    )
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "ZZ0000000" in response.json()["detail"]
    with app_sessions() as session:  # the failed look-up is audited all the same
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "exit.check")).one()
    assert entry.outcome == "not_found"


def test_bad_mrz_names_the_check_digit(client_as: ClientFactory) -> None:
    upper, lower = passport_mrz()
    wrong = "0" if lower[9] != "0" else "1"  # the document number's check digit
    response = client_as(Role.BORDER_OFFICER).post(
        "/api/v1/exit-check", json={"mrz": [upper, lower[:9] + wrong + lower[10:]]}
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["detail"].startswith("invalid MRZ: document_number check digit: expected ")
    assert problem["errors"][0]["field"] == "document_number"


def test_request_needs_one_way_to_name_the_passport(client_as: ClientFactory) -> None:
    client = client_as(Role.BORDER_OFFICER)
    assert client.post("/api/v1/exit-check", json={}).status_code == 422
    both = {"mrz": passport_mrz(), "passport_number": "FA1234567", "issuing_state": "UZB"}
    assert client.post("/api/v1/exit-check", json=both).status_code == 422


def test_consular_officer_may_not_check_exits(client_as: ClientFactory) -> None:
    response = client_as(Role.CONSULAR_OFFICER, "UZB").post(
        "/api/v1/exit-check", json={"mrz": passport_mrz()}
    )
    assert response.status_code == 403
