"""State scoping in the service layer, over HTTP on both databases: a consular officer of
Uzbekistan sees Uzbek nationals only — a Kyrgyz national's records are "not found" to them,
whatever the route, and the attempt is audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role
from tests.functional.accounts_support import entries
from tests.functional.conftest import ClientFactory
from tests.functional.register_data import document_body, person_body
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

PROBLEM = "application/problem+json"


def _register(officer: TestClient, nationality: str, number: str, permit: str) -> tuple[str, str]:
    person = officer.post(
        "/api/v1/persons",
        json=person_body(
            nationality=nationality,
            travel_documents=[
                {"number": number, "issuing_state": nationality, "expiry_date": "2030-01-01"}
            ],
        ),
    )
    assert person.status_code == 201, person.text
    document = officer.post(
        f"/api/v1/persons/{person.json()['id']}/stay-documents",
        json=document_body(number=permit),
    )
    assert document.status_code == 201, document.text
    return person.json()["id"], document.json()["id"]


@pytest.fixture
def register(client_as: ClientFactory) -> dict[str, tuple[str, str]]:
    officer = client_as(Role.MIGRATION_OFFICER)
    return {
        "UZB": _register(officer, "UZB", "FA1234567", "WK12345678"),
        "KGZ": _register(officer, "KGZ", "AC7654321", "WK87654321"),
    }


@pytest.fixture
def consular(client_as: ClientFactory) -> TestClient:
    return client_as(Role.CONSULAR_OFFICER, "UZB")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/persons/{person}",
        "/api/v1/stay-documents/{document}",
        "/api/v1/stay-documents/{document}/history",
    ],
)
def test_a_foreign_national_is_not_found(
    consular: TestClient, register: dict[str, tuple[str, str]], path: str
) -> None:
    own_person, own_document = register["UZB"]
    assert consular.get(path.format(person=own_person, document=own_document)).status_code == 200
    person, document = register["KGZ"]
    response = consular.get(path.format(person=person, document=document))
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    # Exactly what an id that does not exist gets: existence is not revealed.
    absent = consular.get(
        path.format(
            person="0190d6a5-0000-7000-8000-000000000000",
            document="0190d6a5-0000-7000-8000-000000000000",
        )
    )
    assert response.json()["title"] == absent.json()["title"]


def test_the_refused_lookup_is_audited(
    consular: TestClient,
    register: dict[str, tuple[str, str]],
    app_sessions: sessionmaker[Session],
) -> None:
    person, _ = register["KGZ"]
    consular.get(f"/api/v1/persons/{person}", params={"purpose": "citizen asked for help"})
    [entry] = [e for e in entries(app_sessions, "person.read") if e.record_id == person]
    assert (entry.role, entry.state, entry.outcome, entry.purpose) == (
        "consular_officer",
        "UZB",
        "not_found",
        "citizen asked for help",
    )


@pytest.mark.parametrize("path", ["/api/v1/stay-documents/{}", "/api/v1/stay-documents/{}/history"])
def test_the_refused_document_lookup_is_audited(
    consular: TestClient,
    register: dict[str, tuple[str, str]],
    app_sessions: sessionmaker[Session],
    path: str,
) -> None:
    _, document = register["KGZ"]
    assert consular.get(path.format(document)).status_code == 404
    refused = [
        e for e in entries(app_sessions) if e.record_id == document and e.role == "consular_officer"
    ]
    assert [e.outcome for e in refused] == ["not_found"]


def test_lists_hold_own_nationals_only(
    consular: TestClient, register: dict[str, tuple[str, str]]
) -> None:
    persons = consular.get("/api/v1/persons").json()["items"]
    assert [p["id"] for p in persons] == [register["UZB"][0]]
    documents = consular.get("/api/v1/stay-documents").json()["items"]
    assert [d["id"] for d in documents] == [register["UZB"][1]]
    # Asking for the other state by filter does not widen the scope.
    assert consular.get("/api/v1/persons", params={"nationality": "KGZ"}).json()["items"] == []
    assert (
        consular.get("/api/v1/stay-documents", params={"nationality": "KGZ"}).json()["items"] == []
    )


def test_search_finds_own_nationals_only(
    consular: TestClient, register: dict[str, tuple[str, str]]
) -> None:
    hits = consular.get("/api/v1/persons/search", params={"q": "Rahimov"}).json()["items"]
    assert [h["person"]["id"] for h in hits] == [register["UZB"][0]]


def test_a_migration_officer_sees_both(
    client_as: ClientFactory, register: dict[str, tuple[str, str]]
) -> None:
    officer = client_as(Role.MIGRATION_OFFICER)
    ids = {p["id"] for p in officer.get("/api/v1/persons").json()["items"]}
    assert ids == {register["UZB"][0], register["KGZ"][0]}
