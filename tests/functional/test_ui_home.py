"""Each role's home page: what it starts the day with, and nothing it may not see."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.ui_support import (
    UiClientFactory,
    seed_person,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)


def test_the_migration_officers_figures_link_to_their_lists_and_chart_the_weeks(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    today = dt.date.today()
    seed_person(app_sessions, valid_until=today + dt.timedelta(days=10))
    seed_person(app_sessions, primary="Karimov", document_number="WK22222222", valid_until=today)
    seed_person(
        app_sessions,
        primary="Nazarov",
        document_number="WK33333333",
        valid_until=today - dt.timedelta(days=2),
    )
    client = ui_as(Role.MIGRATION_OFFICER)
    home = client.get("/")
    for show in ("valid", "expiring", "expired"):
        assert f'href="/documents?show={show}"' in home.text
    # The chart is one image named by its text alternative, its figures in a table too.
    assert re.search(r'<svg role="img" aria-label="[^"]*next 12 weeks: 2 in all', home.text)
    assert "Show the figures as a table" in home.text
    expiring = client.get("/documents", params={"show": "expiring"})
    assert "WK12345678" in expiring.text and "WK22222222" in expiring.text
    assert "WK33333333" not in expiring.text
    expired = client.get("/documents", params={"show": "expired"})
    assert "WK33333333" in expired.text and "WK12345678" not in expired.text


def test_the_border_officer_starts_at_the_exit_check(ui_as: UiClientFactory) -> None:
    home = ui_as(Role.BORDER_OFFICER).get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/exit-check"


def test_the_analyst_sees_figures_and_never_a_person(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    for i in range(6):
        seed_person(
            app_sessions, document_number=f"WK{40000000 + i}", valid_until=dt.date(2099, 1, 1)
        )
    seed_person(app_sessions, primary="Asanov", nationality="KGZ", document_number="WK50000000")
    home = ui_as(Role.SECRETARIAT_ANALYST).get("/")
    assert "The situation in figures" in home.text
    assert (
        "Rahimov" not in home.text
        and "WK40000000" not in home.text
        and "/persons/" not in home.text
    )
    assert "Uzbekistan" in home.text and ">6<" in home.text
    assert "fewer than 5" in home.text  # one Kyrgyz national: not a countable group


def test_the_administrator_sees_accounts_and_the_exchange(ui_as: UiClientFactory) -> None:
    home = ui_as(Role.ADMIN).get("/")
    assert "Messages waiting to be sent" in home.text
    assert 'href="/exchange/dead-letters"' in home.text
    assert "No trust list is installed" in home.text
    assert 'href="/admin/users"' in home.text and 'href="/admin/audit"' in home.text
    assert "Persons in the register" not in home.text


def test_the_person_page_draws_each_documents_validity_and_overstay(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    today = dt.date.today()
    person, _ = seed_person(app_sessions, valid_until=today - dt.timedelta(days=10))
    client = ui_as(Role.MIGRATION_OFFICER, locale="ru")
    person_page = client.get(f"/persons/{person}")
    assert f'hx-get="/persons/{person}/timeline"' in person_page.text
    assert f'href="/persons/{person}/timeline"' in person_page.text  # without JavaScript
    panel = client.get(f"/persons/{person}/timeline", headers={"HX-Request": "true"})
    assert re.search(r'<svg role="img" aria-label="[^"]+"', panel.text)
    # The same facts as sentences, in the officer's language: as issued, then the overstay.
    assert "Разрешение на работу WK12345678" in panel.text
    assert "1 янв. 2026\u202fг." in panel.text and "г.." not in panel.text
    overstay_from = today - dt.timedelta(days=9)
    assert f"{overstay_from.day} " in panel.text and "Превышение срока пребывания" in panel.text
