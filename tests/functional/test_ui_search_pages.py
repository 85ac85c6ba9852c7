"""The search page as an officer uses it: the true count, pages, each row's status, the MRZ in
its own field (or run together in the name field), and compressed pages."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role
from kervan.identity.mrz_build import MRZFields, compose_td3
from kervan.registry.search import mrz_lines
from kervan.registry.views import SEARCH_PAGE_SIZE
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.ui_support import (
    UiClientFactory,
    csrf_from,
    seed_person,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)

ROWS = re.compile(r'<tr>\s*<th scope="row"')


def test_many_namesakes_are_counted_and_paged(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    total = SEARCH_PAGE_SIZE + 5
    for i in range(total):
        seed_person(app_sessions, document_number=f"WK{10000000 + i}")
    client = ui_as(Role.MIGRATION_OFFICER)
    first = client.get("/search", params={"q": "Rahimov Otkir"})
    assert f"Persons found: {total}" in first.text
    assert len(ROWS.findall(first.text)) == SEARCH_PAGE_SIZE
    assert "add the date of birth to narrow the search" in first.text
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    second = client.get("/search", params={"q": "Rahimov Otkir", "p": 2})
    assert len(ROWS.findall(second.text)) == 5
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    seen = set(re.findall(r'href="/persons/([0-9a-f-]+)"', first.text + second.text))
    assert len(seen) == total  # every namesake reachable, none twice


def test_each_row_shows_the_current_document_and_open_violations(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    seed_person(app_sessions, valid_until=dt.date(2099, 12, 31))
    seed_person(app_sessions, primary="Karimov", document_number="WK99999999")
    page = ui_as(Role.MIGRATION_OFFICER, locale="ru").get("/search", params={"q": "Rahimov"})
    assert "WK12345678" in page.text
    assert "31 дек. 2099" in page.text  # the end date in the officer's locale
    assert "14 мар. 1988" in page.text  # and the date of birth
    assert "WK99999999" not in page.text


def test_an_mrz_in_its_own_field_or_run_together_in_the_name_field(
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
    client = ui_as(Role.MIGRATION_OFFICER)
    by_field = client.get("/search", params={"mrz": "\n".join(lines)})
    assert f'href="/persons/{person}"' in by_field.text
    # A one-line input drops the line breaks of a paste: the 88 characters still read as TD3.
    run_together = client.get("/search", params={"q": "".join(lines)})
    assert f'href="/persons/{person}"' in run_together.text
    refused = client.get("/search", params={"mrz": "not an MRZ"})
    assert 'id="f-mrz-error"' in refused.text and 'aria-invalid="true"' in refused.text


def test_mrz_lines_splits_only_what_has_an_mrz_length() -> None:
    assert mrz_lines("P<UZB" + "<" * 83) == ["P<UZB" + "<" * 39, "<" * 44]
    assert mrz_lines("RAHIMOV OTKIR") is None
    assert mrz_lines("A" * 88) is None  # the right length, but no filler: not an MRZ


def test_pages_are_compressed_and_the_csrf_token_differs_each_time(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    for i in range(3):  # JSON long enough to be worth compressing
        seed_person(app_sessions, document_number=f"WK{20000000 + i}")
    client = ui_as(Role.MIGRATION_OFFICER)
    page = client.get("/search", params={"q": "Rahimov"}, headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip"
    api = client.get(
        "/api/v1/persons/search", params={"q": "Rahimov"}, headers={"Accept-Encoding": "gzip"}
    )
    assert api.headers.get("content-encoding") == "gzip"
    # A browser offering brotli and zstd gets the smallest page (the tests decode each coding
    # in tests/unit/web/test_compression.py).
    offered = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    assert client.get("/search", headers=offered).headers["content-encoding"] == "br"
    offered = {"Accept-Encoding": "gzip;q=0.5, zstd"}
    assert client.get("/search", headers=offered).headers["content-encoding"] == "zstd"
    # BREACH: the token is masked afresh in every response, and each masked form is accepted.
    first, second = csrf_from(page.text), csrf_from(client.get("/search").text)
    assert first != second
    for token in (first, second):
        response = client.post("/language", data={"lang": "en", "csrf_token": token})
        assert response.status_code == 303
