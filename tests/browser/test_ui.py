"""The officer UI in real Chromium: what an officer does, and what they must not be able to do.

Screenshots of the main pages in English and Russian land in test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.seed import LANGUAGE_USER
from tests.browser.support import (
    LiveNode,
    apply_language,
    choose_language,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser

OFFICER = "migration.kaz"
CONSUL = "consular.uzb"


def _expect_text(page: Any, text: str) -> None:
    page.get_by_text(text, exact=False).first.wait_for()


def test_sign_in_shows_the_register_at_a_glance(page: Any, live_node: LiveNode) -> None:
    page.goto(f"{live_node.url}/persons/{live_node.seeded.rahimov}")
    assert "/sign-in?next=" in page.url  # asked to sign in, and brought back afterwards
    screenshot(page, "en-sign-in")
    page.get_by_label("Username").fill(OFFICER)
    page.get_by_label("Password").fill(live_node.accounts[OFFICER])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/persons/"))
    page.get_by_role("link", name="Home").click()
    _expect_text(page, "The register at a glance")
    _expect_text(page, "Persons in the register")
    screenshot(page, "en-home")


def test_a_cyrillic_spelling_finds_a_name_stored_in_latin(page: Any, live_node: LiveNode) -> None:
    sign_in(page, live_node, OFFICER)
    page.get_by_role("link", name="Search").click()
    # Typed, not filled: the results come over htmx as the officer types.
    page.get_by_label("Name or document number").press_sequentially("Рахимов", delay=30)
    result = page.get_by_role("link", name="Rahimov Otkir")
    result.wait_for()
    screenshot(page, "en-search")
    result.click()
    page.wait_for_url(f"{live_node.url}/persons/{live_node.seeded.rahimov}")
    _expect_text(page, "RAHIMOV<<OTKIR")
    # Each document's history loads when opened (htmx, once), not with the page.
    document = page.locator(f"#document-{live_node.seeded.rahimov_permit}")
    document.locator("summary").click()
    document.locator("tr.event-issued").wait_for()
    screenshot(page, "en-person")


def test_extending_a_document_adds_a_history_row(page: Any, live_node: LiveNode) -> None:
    sign_in(page, live_node, OFFICER)
    permit = live_node.seeded.rahimov_permit
    page.goto(f"{live_node.url}/persons/{live_node.seeded.rahimov}")
    page.locator(f"#document-{permit}").get_by_role("link", name="Extend").click()
    page.get_by_label("New end of validity").fill("2031-12-31")
    page.get_by_label("Reason").fill("contract with the employer renewed")
    screenshot(page, "en-extend")
    page.get_by_role("button", name="Continue").click()
    _expect_text(page, "Check and confirm")
    screenshot(page, "en-extend-confirm")
    page.get_by_role("button", name="Confirm the extension").click()
    _expect_text(page, "The document was extended.")
    # The last row: the example measure of the seed extended the permit before.
    row = page.locator(f"#document-{permit} tr.event-extended").last
    row.wait_for()
    assert "contract with the employer renewed" in row.inner_text()
    assert "2031" in row.inner_text()


def test_the_language_switch_translates_the_pages(page: Any, live_node: LiveNode) -> None:
    sign_in(page, live_node, LANGUAGE_USER)
    person = f"{live_node.url}/persons/{live_node.seeded.rahimov}"
    page.get_by_label("Language").select_option("ru")
    apply_language(page)  # only the button changes it (WCAG 3.2.2)
    _expect_text(page, "Реестр в цифрах")
    screenshot(page, "ru-home")
    page.get_by_role("link", name="Поиск").click()
    page.get_by_label("Имя или номер документа").fill("Rahimov")
    page.get_by_role("button", name="Поиск").click()
    page.get_by_role("link", name="Rahimov Otkir").wait_for()
    screenshot(page, "ru-search")
    page.goto(person)
    _expect_text(page, "Документы на пребывание")
    _expect_text(page, "Разрешение на работу")
    screenshot(page, "ru-person")
    page.goto(f"{live_node.url}/documents/{live_node.seeded.rahimov_permit}/extend")
    screenshot(page, "ru-extend")
    page.goto(f"{live_node.url}/import")
    screenshot(page, "ru-import")
    page.get_by_label("Язык").select_option("kk")
    apply_language(page)
    _expect_text(page, "Басты бет")
    page.goto(person)
    _expect_text(page, "Болу құжаттары")
    screenshot(page, "kk-person")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "kk-person-narrow")
    choose_language(page, "Тіл", "en")
    _expect_text(page, "Stay documents")


def test_a_consular_officer_cannot_open_another_states_national(
    page: Any, live_node: LiveNode
) -> None:
    sign_in(page, live_node, CONSUL)
    response = page.goto(f"{live_node.url}/persons/{live_node.seeded.foreign_national}")
    assert response is not None and response.status == 404
    _expect_text(page, "Not found")
    assert "Асанов" not in page.content()
    screenshot(page, "en-not-found")
    own = page.goto(f"{live_node.url}/persons/{live_node.seeded.rahimov}")
    assert own is not None and own.status == 200


def test_a_form_posted_without_its_csrf_token_is_refused(page: Any, live_node: LiveNode) -> None:
    sign_in(page, live_node, OFFICER)
    page.goto(f"{live_node.url}/documents/{live_node.seeded.rahimov_permit}/revoke")
    page.get_by_label("Reason").fill("a forged revocation")
    page.locator("form.stack input[name=csrf_token]").evaluate("node => node.remove()")
    page.get_by_role("button", name="Continue").click()
    _expect_text(page, "The form has expired")
    screenshot(page, "en-csrf-refused")
    page.goto(f"{live_node.url}/persons/{live_node.seeded.rahimov}")
    assert "a forged revocation" not in page.content()


def test_import_page_and_narrow_screens(page: Any, live_node: LiveNode) -> None:
    sign_in(page, live_node, OFFICER)
    page.goto(f"{live_node.url}/import")
    _expect_text(page, "Import persons and stay documents")
    screenshot(page, "en-import")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_node.url}/persons/{live_node.seeded.rahimov}")
    # Nothing wider than the screen but the tables, which scroll inside their own box.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    screenshot(page, "en-person-narrow")
