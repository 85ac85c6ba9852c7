"""Registering and finding people by the MRZ of their passport."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from kervan.identity.mrz_build import MRZFields, compose_td3
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module


def passport(number: str = "AB1234567", **overrides: object) -> list[str]:
    fields = {
        "document_number": number,
        "nationality": "KGZ",
        "birth_date": dt.date(1991, 7, 2),
        "expiry_date": dt.date(2031, 5, 1),
        "primary_identifier": "ASANOV",
        "secondary_identifier": "NURLAN",
        "sex": "M",
        **overrides,
    }
    return list(compose_td3(MRZFields(**fields)))  # type: ignore[arg-type]


def test_person_registered_from_mrz(officer_client: TestClient) -> None:
    response = officer_client.post(
        "/api/v1/persons/from-mrz",
        json={"mrz": passport(), "primary_name": "Асанов", "secondary_name": "Нурлан"},
    )
    assert response.status_code == 201, response.text
    person = response.json()
    assert person["primary_name"] == "Асанов"
    assert person["primary_identifier"] == "ASANOV"
    assert person["nationality"] == "KGZ"
    assert person["birth_date"] == "1991-07-02"
    assert person["travel_documents"][0] == {
        "id": person["travel_documents"][0]["id"],
        "document_type": "passport",
        "number": "AB1234567",
        "issuing_state": "KGZ",
        "expiry_date": "2031-05-01",
    }


def test_person_found_by_mrz(officer_client: TestClient) -> None:
    created = officer_client.post("/api/v1/persons/from-mrz", json={"mrz": passport()}).json()
    response = officer_client.post("/api/v1/persons/search", json={"mrz": passport()})
    assert response.status_code == 200, response.text
    hit = response.json()["items"][0]
    assert hit["person"]["id"] == created["id"]
    assert set(hit["matched_on"]) >= {"name", "document_number", "birth_date"}


def test_bad_check_digit_names_the_field(officer_client: TestClient) -> None:
    upper, lower = passport()
    broken = lower[:9] + str((int(lower[9]) + 1) % 10) + lower[10:]
    response = officer_client.post("/api/v1/persons/from-mrz", json={"mrz": [upper, broken]})
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "document_number"
    assert "expected" in problem["errors"][0]["message"]
    parsed = officer_client.post("/api/v1/mrz/parse", json={"mrz": [upper, broken]})
    assert parsed.status_code == 422
    assert parsed.headers["content-type"] == "application/problem+json"


def test_mrz_parse_returns_fields(officer_client: TestClient) -> None:
    response = officer_client.post("/api/v1/mrz/parse", json={"mrz": passport()})
    assert response.status_code == 200
    assert response.json()["document_number"] == "AB1234567"
    assert response.json()["format"] == "TD3"
