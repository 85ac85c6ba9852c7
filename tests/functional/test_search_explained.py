"""The search API says how each name part matched, and keeps its limits for hostile input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.functional.register_data import document_body, person_body
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

PROBLEM = "application/problem+json"


def _register(client: TestClient, **overrides: object) -> dict:
    response = client.post("/api/v1/persons", json=person_body(**overrides))
    assert response.status_code == 201, response.text
    return response.json()


def _search(client: TestClient, **params: str) -> list[dict]:
    response = client.get("/api/v1/persons/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_each_part_says_how_it_matched(officer_client: TestClient) -> None:
    person = _register(officer_client)
    exact = _search(officer_client, q="Раҳимов Ўткир")[0]
    assert exact["person"]["id"] == person["id"]
    assert exact["name_parts"] == {"surname": "exact", "given": "exact"}
    typed = _search(officer_client, q="Otkir Rakhimov")[0]
    assert typed["name_parts"]["surname"] == "transliteration"
    typo = _search(officer_client, q="Rakhimow Utkkir")[0]
    assert typo["person"]["id"] == person["id"]


def test_kyrgyz_surname_comes_first_in_either_order(officer_client: TestClient) -> None:
    asan = _register(
        officer_client,
        primary_name="Асан уулу",
        secondary_name="Бакыт",
        nationality="KGZ",
        travel_documents=[{"number": "AC1234567", "issuing_state": "KGZ"}],
    )
    _register(
        officer_client,
        primary_name="Эркин уулу",
        secondary_name="Бакыт",
        nationality="KGZ",
        travel_documents=[{"number": "AC7654321", "issuing_state": "KGZ"}],
    )
    for typed in ("Асан уулу Бакыт", "Бакыт Асан уулу", "ASAN UULU BAKYT", "Асан Бакыт"):
        hits = _search(officer_client, q=typed)
        assert hits[0]["person"]["id"] == asan["id"], typed
        assert len(hits) == 1 or hits[1]["score"] < hits[0]["score"], typed


def test_a_stay_document_number_finds_its_holder(officer_client: TestClient) -> None:
    person = _register(officer_client)
    response = officer_client.post(
        f"/api/v1/persons/{person['id']}/stay-documents", json=document_body()
    )
    assert response.status_code == 201, response.text
    hits = _search(officer_client, q="WK 1234 5678")
    assert hits[0]["person"]["id"] == person["id"]
    assert "document_number" in hits[0]["matched_on"]


@pytest.mark.parametrize(
    "hostile",
    ["%" * 300, "'; DROP TABLE persons; --", '"^A" OR "B$" NEAR', "ё" * 500, "\x00\x01"],
)
def test_hostile_queries_are_answered_not_crashed(officer_client: TestClient, hostile: str) -> None:
    response = officer_client.get("/api/v1/persons/search", params={"q": hostile})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.headers["content-type"] == PROBLEM
