"""The register in the officer UI: search, the person page, and decisions with confirmation."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role, system_principal
from kervan.identity.mrz_build import MRZFields, compose_td3
from kervan.registry import service
from kervan.registry.schemas import StayDocumentCorrection
from kervan.uow import unit_of_work
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.ui_support import (
    UiClientFactory,
    csrf_from,
    post_form,
    seed_person,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)

PAGE_BUDGET = 200_000  # bytes: consular lines are slow


def test_search_finds_a_person_and_htmx_gets_only_the_results(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, _ = seed_person(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    page = client.get("/search", params={"q": "Rahimov"})
    assert page.status_code == 200
    assert f'href="/persons/{person}"' in page.text
    fragment = client.get("/search", params={"q": "Rahimov"}, headers={"HX-Request": "true"})
    assert f'href="/persons/{person}"' in fragment.text
    assert "<html" not in fragment.text


def test_search_by_document_number_and_a_bad_date_of_birth(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, _ = seed_person(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    assert f"/persons/{person}" in client.get("/search", params={"q": "WK12345678"}).text
    refused = client.get("/search", params={"q": "Rahimov", "birth_date": "14.03.1988"})
    assert "Give the date of birth as YYYY-MM-DD" in refused.text
    fragment = client.get(
        "/search",
        params={"q": "Rahimov", "birth_date": "14.03.1988"},
        headers={"HX-Request": "true"},
    )
    assert 'role="alert">Give the date of birth as YYYY-MM-DD' in fragment.text


def test_person_page_shows_identity_documents_and_violations(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, document = seed_person(app_sessions)
    page = ui_as(Role.MIGRATION_OFFICER).get(f"/persons/{person}")
    assert page.status_code == 200
    assert "RAHIMOV&lt;&lt;OTKIR" in page.text
    assert "Work permit" in page.text and "WK12345678" in page.text
    assert f'hx-get="/documents/{document}/history"' in page.text
    assert len(page.content) < PAGE_BUDGET


def test_extend_asks_for_confirmation_then_shows_the_history_row(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, document = seed_person(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    form_url = f"/documents/{document}/extend"
    data = {"valid_until": "2027-06-30", "reason": "contract renewed", "step": "review"}
    review = post_form(client, form_url, form_url, data)
    assert review.status_code == 200
    assert "Check and confirm" in review.text
    assert "Confirm the extension" in review.text
    done = client.post(
        form_url, data={**data, "step": "confirm", "csrf_token": csrf_from(review.text)}
    )
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"/persons/{person}?open={document}")
    page = client.get(done.headers["location"])
    assert "The document was extended." in page.text
    assert "contract renewed" in page.text
    assert "Extended" in page.text


def test_a_decision_without_a_reason_is_refused_next_to_the_field(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    _, document = seed_person(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    url = f"/documents/{document}/revoke"
    refused = post_form(client, url, url, {"reason": " ", "step": "confirm"})
    assert refused.status_code == 422
    assert re.search(r'id="f-reason-error">Give the reason for this decision', refused.text)
    assert 'aria-invalid="true"' in refused.text


def test_revoke_then_the_document_cannot_be_extended(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    _, document = seed_person(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    url = f"/documents/{document}/revoke"
    done = post_form(client, url, url, {"reason": "conditions breached", "step": "confirm"})
    assert done.status_code == 303
    extend = f"/documents/{document}/extend"
    refused = post_form(
        client,
        extend,
        extend,
        {"valid_until": "2030-01-01", "reason": "late try", "step": "confirm"},
    )
    assert refused.status_code == 409
    assert "This document is no longer active and cannot be changed." in refused.text


def test_issue_shows_the_service_error_in_the_officers_language(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, _ = seed_person(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER, locale="ru")
    url = f"/persons/{person}/documents/new"
    data = {
        "kind": "visa",
        "number": "123",
        "purpose": "tourism",
        "valid_from": "2026-02-01",
        "valid_until": "2026-03-01",
        "reason": "tourist visa",
        "step": "confirm",
    }
    refused = post_form(client, url, url, data)
    assert refused.status_code == 422
    assert "недопустимый номер" in refused.text
    issued = post_form(client, url, url, {**data, "number": "VK12345678"})
    assert issued.status_code == 303
    assert "VK12345678" in client.get(issued.headers["location"]).text


def test_a_border_officer_cannot_open_the_decision_forms(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    _, document = seed_person(app_sessions)
    client: TestClient = ui_as(Role.CONSULAR_OFFICER, state="UZB")
    assert client.get(f"/documents/{document}/extend").status_code == 403


def test_a_pasted_mrz_finds_the_holder(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, _ = seed_person(app_sessions)
    lines = compose_td3(
        MRZFields(
            document_number="FA1234567",
            nationality="UZB",
            birth_date=dt.date(1988, 3, 14),
            expiry_date=dt.date(2031, 5, 1),
            primary_identifier="RAHIMOV",
            secondary_identifier="OTKIR",
            sex="M",
        )
    )
    page = ui_as(Role.MIGRATION_OFFICER).get("/search", params={"q": "\n".join(lines)})
    assert f'href="/persons/{person}"' in page.text
    assert "date of birth" in page.text  # the MRZ's date of birth matched too


def test_person_page_names_the_region_of_a_stay_in_the_officers_language(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, document = seed_person(app_sessions)
    with unit_of_work(app_sessions) as session:
        service.correct_document(
            session,
            system_principal("KAZ", "seed"),
            document,
            StayDocumentCorrection(region="kz-75", reason="moved to Almaty"),
        )
    page = ui_as(Role.MIGRATION_OFFICER, locale="ru").get(f"/persons/{person}")
    assert "KZ-75 · Алма-Ата" in page.text
