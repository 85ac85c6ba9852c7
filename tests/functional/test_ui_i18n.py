"""Languages of the UI: the switch, remembered per user; negotiation; formats; the catalogs."""

from __future__ import annotations

from babel.messages.catalog import Catalog
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role
from kervan.accounts.service import get_user_by_name
from kervan.errors import Conflict
from kervan.registry.messages import NUMBER_TAKEN
from kervan.web import i18n, i18n_catalogs
from kervan.web.i18n_errors import error_message
from kervan.wiring import wire
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.ui_support import (
    HTML,
    UiClientFactory,
    csrf_from,
    seed_person,
    signed_in_client,
    ui_as_fixture,  # noqa: F401 - the ui_as fixture
)


def test_the_switch_translates_the_page_and_is_remembered_for_the_user(
    ui_as: UiClientFactory, app: FastAPI, app_sessions: sessionmaker[Session]
) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    home = client.get("/")
    switched = client.post(
        "/language", data={"lang": "ru", "next": "/search", "csrf_token": csrf_from(home.text)}
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/search"
    assert "Найти лицо" in client.get("/search").text
    username = next(n for n in _usernames(app_sessions) if n.startswith("ui-migration"))
    assert _locale_of(app_sessions, username) == "ru"
    # Another browser, no cookie: the user's language follows them.
    other = signed_in_client(app, username)
    assert 'lang="ru"' in other.get("/").text


def test_before_sign_in_the_browser_language_is_the_first_guess(app: FastAPI) -> None:
    client = TestClient(app, headers={**HTML, "Accept-Language": "de;q=1, kk;q=0.8, en;q=0.5"})
    page = client.get("/sign-in")
    assert 'lang="kk"' in page.text
    assert "Кіру" in page.text


def test_an_unknown_language_falls_back_to_english(ui_as: UiClientFactory) -> None:
    client = ui_as(Role.MIGRATION_OFFICER)
    token = csrf_from(client.get("/").text)
    client.post("/language", data={"lang": "xx", "csrf_token": token})
    assert 'lang="en"' in client.get("/").text


def test_dates_and_numbers_follow_the_locale(
    ui_as: UiClientFactory, app_sessions: sessionmaker[Session]
) -> None:
    person, _ = seed_person(app_sessions)
    russian = _spaced(ui_as(Role.MIGRATION_OFFICER, locale="ru").get(f"/persons/{person}").text)
    hungarian = _spaced(ui_as(Role.MIGRATION_OFFICER, locale="hu").get(f"/persons/{person}").text)
    assert "14 мар. 1988 г." in russian and "Узбекистан" in russian
    assert "1988. márc. 14." in hungarian and "Üzbegisztán" in hungarian


def test_every_language_translates_navigation_and_errors() -> None:
    essentials = [
        "Home",
        "Search",
        "Sign in",
        "Sign out",
        "Extend",
        "Revoke",
        "Issue a document",
        "Not found",
        "You are not allowed to do this",
        "The form has expired",
        "Some of the input is not valid",
    ]
    for code in i18n.LANGUAGES:
        if code == "en":
            continue
        translator = i18n.Translator(code)
        for message in essentials:
            assert translator.gettext(message) != message, (code, message)


def test_service_errors_are_worded_from_their_code_with_their_values() -> None:
    wire()  # every package's codes in the catalog
    russian = i18n.Translator("ru")
    taken = Conflict(
        "a work_permit numbered WK1 already exists", code=NUMBER_TAKEN, params={"number": "WK1"}
    )
    assert error_message(russian, taken) == "Документ этого вида с номером WK1 уже существует."
    # Rewording the English changes nothing for the officer: the code carries the meaning.
    reworded = Conflict("duplicate number WK1", code=NUMBER_TAKEN, params={"number": "WK1"})
    assert error_message(russian, reworded) == error_message(russian, taken)
    assert error_message(russian, Conflict("something new")) == "something new"


def test_the_catalogs_pass_the_ci_check() -> None:
    assert i18n_catalogs.check(i18n_catalogs.extract_template()) == []


def test_the_check_names_a_broken_placeholder_and_a_stale_template() -> None:
    catalog = Catalog(locale="tr")
    catalog.add("Node of %(state)s", "Düğüm: %(devlet)s")
    catalog.add("50%% done", "%50 bitti")
    problems = [p for m in catalog if m.id for p in i18n_catalogs.placeholder_problems("tr", m)]
    assert any("placeholders ['devlet'] differ" in p for p in problems)
    assert any("bare '%'" in p for p in problems)
    stale = Catalog()
    stale.add("A message nobody wrote")
    assert any("messages.pot is stale" in p for p in i18n_catalogs.check(stale))


def _spaced(text: str) -> str:
    # CLDR puts no-break spaces inside dates ("14 мар. 1988 г."); compare them as spaces.
    return text.replace("\u202f", " ").replace("\xa0", " ")


def _usernames(sessions: sessionmaker[Session]) -> list[str]:
    from kervan.accounts.service import list_users

    with sessions() as session:
        return [u.username for u in list_users(session)]


def _locale_of(sessions: sessionmaker[Session], username: str) -> str:
    with sessions() as session:
        return get_user_by_name(session, username).locale
