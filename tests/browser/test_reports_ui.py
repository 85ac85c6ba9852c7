"""The situation reports dashboard in a real browser, in two languages: the migration officer
makes the last week's report, and the dashboard shows it with each chart's SVG, its text
alternative tied to the figure and the table behind it — without JavaScript as with it."""

from __future__ import annotations

from typing import Any

from tests.browser.seed import LANGUAGE_USER
from tests.browser.support import LiveNode, choose_language, screenshot, sign_in


def _charts_are_described(page: Any) -> None:
    figures = page.locator("figure[aria-describedby]")
    assert figures.count() >= 1
    for i in range(figures.count()):
        figure = figures.nth(i)
        described = figure.get_attribute("aria-describedby")
        text = page.locator(f"#{described}").inner_text()
        assert text.strip(), described
        assert figure.locator("svg").count() == 1
    assert page.locator("details table").count() >= 1


def _regions_by_name(page: Any, title: str) -> None:
    """The chart of the regions of stay: its heading in the page's language, every region by
    its name (never an ISO 3166-2 code such as KZ-75)."""
    section = page.locator("section[aria-labelledby='chart-regions']")
    assert section.get_by_role("heading", name=title).count() == 1
    assert "KZ-" not in section.inner_text()


def test_the_dashboard_in_english_and_russian(page: Any, live_node: LiveNode) -> None:
    sign_in(page, live_node, LANGUAGE_USER)
    page.goto(f"{live_node.url}/reports")
    page.get_by_role("button", name="Make the report of the last week").click()
    page.get_by_role("heading", name="Reports by host state — ", exact=False).wait_for()
    assert page.locator("#state-KAZ").get_by_text("Received").count() == 1
    _charts_are_described(page)
    _regions_by_name(page, "Foreign nationals present, by region of stay")
    screenshot(page, "en-reports")
    choose_language(page, "Language", "ru")
    page.get_by_role("heading", name="Отчёты о ситуации").wait_for()
    assert page.locator("html").get_attribute("lang") == "ru"
    _charts_are_described(page)
    _regions_by_name(page, "Иностранные граждане, находящиеся в стране, по региону пребывания")
    assert "Таблица к графику" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "ru-reports-narrow")
    choose_language(page, "Язык", "en")


def test_the_dashboard_works_without_javascript(browser: Any, live_node: LiveNode) -> None:
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        sign_in(page, live_node, "migration.kaz")
        page.goto(f"{live_node.url}/reports")
        page.get_by_role("button", name="Make the report of the last week").click()
        page.get_by_role("heading", name="Situation reports").wait_for()
        _charts_are_described(page)
        page.get_by_text("The table behind the chart").first.click()  # <details> opens natively
        assert page.locator("details[open] table").count() == 1
    finally:
        context.close()
