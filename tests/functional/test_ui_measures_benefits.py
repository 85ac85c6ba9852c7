"""The officer UI of issue #4: the exit-check page, the person page's benefits and "applies to
this person" panels, deciding an application, and grant-all with its preview."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role, system_principal
from kervan.benefits import service
from kervan.benefits.schemas import BenefitKindIn
from kervan.uow import unit_of_work
from tests.functional.benefits_support import (
    TODAY,
    in_force_measure,
    passport_mrz,
    seed_traveller,
    wire,
)
from tests.functional.ui_support import (
    UiClientFactory,
    post_form,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)


@pytest.fixture(autouse=True)
def _wired(app: FastAPI) -> None:
    wire(app)


def _kind(sessions: sessionmaker[Session]) -> str:
    with unit_of_work(sessions) as session:
        kind = service.save_kind(
            session,
            system_principal("KAZ", "test"),
            BenefitKindIn(
                code="fee_waiver",
                names={"en": "Fee waiver", "ru": "Освобождение от сборов"},
                eligibility={"nationality": ["member_states"]},
            ),
            state="KAZ",
        )
        return str(kind.id)


def test_exit_check_page_gives_the_verdict_and_the_measure(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_traveller(app_sessions, valid_until=TODAY - dt.timedelta(days=2))
    in_force_measure(app_sessions)
    client = ui_as(Role.BORDER_OFFICER)
    page = post_form(client, "/exit-check", "/exit-check", {"mrz": "\n".join(passport_mrz())})
    assert page.status_code == 200, page.text
    assert 'data-verdict="may-exit"' in page.text
    assert "Quarantine regime" in page.text
    bad = post_form(client, "/exit-check", "/exit-check", {"mrz": "P<UZB\nXX"})
    assert bad.status_code == 422
    assert 'class="error"' in bad.text
    unknown = post_form(
        client,
        "/exit-check",
        "/exit-check",
        {"passport_number": "ZZ1", "issuing_state": "UZB"},
    )
    assert unknown.status_code == 422
    assert "No person in the register holds this passport." in unknown.text


def test_exit_check_page_in_russian(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_traveller(app_sessions)
    client = ui_as(Role.BORDER_OFFICER, locale="ru")
    page = post_form(client, "/exit-check", "/exit-check", {"mrz": "\n".join(passport_mrz())})
    assert "Может выехать без штрафа." in page.text


def test_person_page_panels_and_a_decision(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, _ = seed_traveller(app_sessions)
    kind_id = _kind(app_sessions)
    in_force_measure(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    page = client.get(f"/persons/{person}")
    assert f'hx-get="/persons/{person}/benefits"' in page.text
    assert f'hx-get="/persons/{person}/applies"' in page.text
    panel = client.get(f"/persons/{person}/applies", headers={"HX-Request": "true"})
    assert "Quarantine regime" in panel.text and "<html" not in panel.text
    assert "Decree of the Government No. 123" in panel.text

    url = f"/persons/{person}/benefits"
    applied = post_form(client, url, url, {"kind_id": kind_id, "notes": "at the counter"})
    assert applied.status_code == 303
    listing = client.get(applied.headers["location"])
    assert "The application was entered and evaluated." in listing.text
    application_id = listing.text.split('action="/benefits/')[1].split("/")[0]
    action = f"/benefits/{application_id}/approve"
    review = post_form(client, url, action, {"reason": "could not leave", "step": "review"})
    assert "Confirm the approval" in review.text
    done = post_form(client, url, action, {"reason": "could not leave", "step": "confirm"})
    assert done.status_code == 303
    assert "The benefit was approved." in client.get(done.headers["location"]).text


def test_grant_all_page_previews_then_grants(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_traveller(app_sessions)
    kind_id = _kind(app_sessions)
    client = ui_as(Role.MIGRATION_OFFICER)
    kinds = client.get("/benefit-kinds")
    assert f'href="/benefit-kinds/{kind_id}/grant-all"' in kinds.text
    url = f"/benefit-kinds/{kind_id}/grant-all"
    preview = client.get(url)
    assert 'data-total="1"' in preview.text
    refused = post_form(client, url, url, {"reason": ""})
    assert refused.status_code == 422
    granted = post_form(client, url, url, {"reason": "decree 123"})
    assert 'data-granted="1"' in granted.text


def test_border_officer_sees_no_benefits(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.BORDER_OFFICER)
    assert client.get("/benefit-kinds").status_code == 403
