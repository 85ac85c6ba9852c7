"""The register's JSON API end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.functional.register_data import document_body, person_body
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

PROBLEM = "application/problem+json"


def create_person(client: TestClient, **overrides: object) -> dict:
    response = client.post("/api/v1/persons", json=person_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def issue(client: TestClient, person_id: str, **overrides: object) -> dict:
    response = client.post(
        f"/api/v1/persons/{person_id}/stay-documents", json=document_body(**overrides)
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_person_is_stored_as_written_and_in_icao_latin(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    assert person["primary_name"] == "Раҳимов"
    assert person["primary_identifier"] == "RAHIMOV"
    assert person["secondary_identifier"] == "UTKIR"
    assert person["name_script"] == "Cyrl"
    fetched = officer_client.get(f"/api/v1/persons/{person['id']}").json()
    assert fetched["travel_documents"][0]["number"] == "FA1234567"
    assert fetched["birth_date"] == "1988-03-14"


def test_unknown_day_of_birth_is_kept_unknown(officer_client: TestClient) -> None:
    person = create_person(officer_client, birth_date={"year": 1975, "month": 6})
    assert person["birth_date"] == "1975-06-XX"


def test_issue_extend_and_history(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    document = issue(officer_client, person["id"])
    extended = officer_client.post(
        f"/api/v1/stay-documents/{document['id']}/extend",
        json={"valid_until": "2027-03-31", "reason": "employer contract renewed"},
    )
    assert extended.status_code == 200, extended.text
    assert extended.json()["valid_until"] == "2027-03-31"
    history = officer_client.get(f"/api/v1/stay-documents/{document['id']}/history").json()
    assert [e["kind"] for e in history] == ["issued", "extended"]
    assert history[1]["old_values"] == {"valid_until": "2026-12-31"}
    assert history[1]["new_values"] == {"valid_until": "2027-03-31"}
    assert history[1]["reason"] == "employer contract renewed"
    assert history[1]["actor"].startswith("migration_officer")


def test_extension_that_does_not_extend_is_refused(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    document = issue(officer_client, person["id"])
    response = officer_client.post(
        f"/api/v1/stay-documents/{document['id']}/extend",
        json={"valid_until": "2026-06-30", "reason": "mistaken shortening"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422
    assert problem["errors"][0]["field"] == "valid_until"
    assert "2026-12-31" in problem["errors"][0]["message"]


def test_revoked_document_cannot_be_extended(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    document = issue(officer_client, person["id"])
    revoked = officer_client.post(
        f"/api/v1/stay-documents/{document['id']}/revoke", json={"reason": "employer closed"}
    )
    assert revoked.json()["status"] == "revoked"
    response = officer_client.post(
        f"/api/v1/stay-documents/{document['id']}/extend",
        json={"valid_until": "2027-06-30", "reason": "try anyway"},
    )
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nationality": "XYZ"}, "nationality"),
        ({"nationality": "uz"}, "nationality"),
        ({"birth_date": {"year": 1990, "day": 4}}, "birth_date.day"),
        ({"sex": "Q"}, "sex"),
        ({"primary_name": ""}, "primary_name"),
    ],
)
def test_bad_person_input_is_a_problem_document(
    officer_client: TestClient, overrides: dict, field: str
) -> None:
    response = officer_client.post("/api/v1/persons", json=person_body(**overrides))
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"number": "VK12345678"}, "number"),  # a visa number on a work permit
        ({"valid_from": "2027-01-01"}, "valid_until"),
        ({"kind": "passport"}, "kind"),
    ],
)
def test_bad_document_input_is_a_problem_document(
    officer_client: TestClient, overrides: dict, field: str
) -> None:
    person = create_person(officer_client)
    response = officer_client.post(
        f"/api/v1/persons/{person['id']}/stay-documents", json=document_body(**overrides)
    )
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]


def test_same_document_number_twice_is_a_conflict(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    issue(officer_client, person["id"])
    response = officer_client.post(
        f"/api/v1/persons/{person['id']}/stay-documents", json=document_body()
    )
    assert response.status_code == 409


def test_same_passport_twice_is_a_conflict(officer_client: TestClient) -> None:
    create_person(officer_client)
    response = officer_client.post("/api/v1/persons", json=person_body())
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM


def test_correction_keeps_old_values(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    response = officer_client.patch(
        f"/api/v1/persons/{person['id']}",
        json={"secondary_name": "Ўткирбек", "reason": "typing error at registration"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["secondary_identifier"] == "UTKIRBEK"
    document = issue(officer_client, person["id"])
    corrected = officer_client.patch(
        f"/api/v1/stay-documents/{document['id']}",
        json={"purpose": "study", "reason": "wrong purpose entered"},
    )
    assert corrected.status_code == 200
    history = officer_client.get(f"/api/v1/stay-documents/{document['id']}/history").json()
    assert history[-1]["kind"] == "corrected"
    assert history[-1]["old_values"] == {"purpose": "work"}


def test_violation_is_recorded(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    response = officer_client.post(
        f"/api/v1/persons/{person['id']}/violations",
        json={
            "kind": "overstay",
            "period_start": "2026-02-01",
            "period_end": "2026-02-20",
            "fine_amount": "55000.00",
            "fine_currency": "KZT",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "recorded"
    fetched = officer_client.get(f"/api/v1/persons/{person['id']}").json()
    assert fetched["violations"][0]["kind"] == "overstay"


def test_violation_fine_needs_currency(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    response = officer_client.post(
        f"/api/v1/persons/{person['id']}/violations",
        json={"kind": "overstay", "period_start": "2026-02-01", "fine_amount": "10"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "fine_currency"


def test_document_list_pages_with_keyset_cursor(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    for month in range(1, 8):
        issue(
            officer_client,
            person["id"],
            number=f"WK1234567{month}",
            valid_until=f"2026-{month + 2:02d}-15",
        )
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3, "kind": "work_permit", "sort": "-valid_until"}
        if cursor:
            params["cursor"] = cursor
        page = officer_client.get("/api/v1/stay-documents", params=params).json()
        seen.extend(d["valid_until"] for d in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == 7


def test_document_list_filters(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    issue(officer_client, person["id"], number="WK10000001", valid_until="2026-03-01")
    issue(
        officer_client,
        person["id"],
        kind="visa",
        number="VK10000001",
        purpose="tourism",
        valid_until="2026-05-01",
    )
    visas = officer_client.get("/api/v1/stay-documents", params={"kind": "visa"}).json()
    assert [d["number"] for d in visas["items"]] == ["VK10000001"]
    window = officer_client.get(
        "/api/v1/stay-documents",
        params={"expires_from": "2026-02-01", "expires_to": "2026-03-31"},
    ).json()
    assert [d["number"] for d in window["items"]] == ["WK10000001"]
    none = officer_client.get("/api/v1/stay-documents", params={"nationality": "TUR"}).json()
    assert none["items"] == []


def test_garbage_cursor_is_a_problem_not_a_crash(officer_client: TestClient) -> None:
    response = officer_client.get("/api/v1/stay-documents", params={"cursor": "%%%not-one"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_malformed_json_and_unknown_routes_are_problems(officer_client: TestClient) -> None:
    response = officer_client.post(
        "/api/v1/persons", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    missing = officer_client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    absent = officer_client.get("/api/v1/persons/0192f1c4-0000-7000-8000-000000000000")
    assert absent.status_code == 404


@pytest.mark.parametrize(
    "typed",
    [
        "Ўткир Раҳимов",
        "O‘tkir Rahimov",
        "Otkir Rakhimov",
        "Utkir Rahimov",
        "RAHIMOV UTKIR",
        "ўткир раҳимов",
    ],
)
def test_search_finds_the_person_in_any_spelling(officer_client: TestClient, typed: str) -> None:
    person = create_person(officer_client)
    create_person(
        officer_client,
        primary_name="Karimova",
        secondary_name="Dilnoza",
        travel_documents=[{"number": "FA7654321", "issuing_state": "UZB"}],
    )
    hits = officer_client.get("/api/v1/persons/search", params={"q": typed}).json()["items"]
    assert hits, f"nothing found for {typed!r}"
    assert hits[0]["person"]["id"] == person["id"]
    assert all(h["person"]["primary_identifier"] != "KARIMOVA" for h in hits)


def test_search_by_document_number_and_birth_date(officer_client: TestClient) -> None:
    person = create_person(officer_client)
    by_number = officer_client.get("/api/v1/persons/search", params={"q": "fa 1234567"}).json()
    assert by_number["items"][0]["person"]["id"] == person["id"]
    assert "document_number" in by_number["items"][0]["matched_on"]
    wrong_birth = officer_client.get(
        "/api/v1/persons/search", params={"q": "Otkir Rakhimov", "birth_date": "1990-01-01"}
    ).json()
    assert wrong_birth["items"] == []
    right_birth = officer_client.get(
        "/api/v1/persons/search", params={"q": "Otkir Rakhimov", "birth_date": "1988-03-XX"}
    ).json()
    assert right_birth["items"][0]["person"]["id"] == person["id"]


def test_bad_search_input_is_a_problem(officer_client: TestClient) -> None:
    response = officer_client.get("/api/v1/persons/search", params={"birth_date": "born 1990"})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
