"""Repatriation in real Chromium on the session's live node (KAZ): UZB's consul schedules a leg
with the form, KAZ's migration officer agrees to it, the consul registers a request, runs the
allocation and sees the seat (a group row added without JavaScript on the way); the requests
list, a request's page and its change form, the reception places, the leg's page, the public
return form and its status page have no serious or critical axe violation at 1366 and 390 px.
Lean: the session's server and browser, one context per officer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.browser.page_scan import serious_axe_violations
from tests.browser.support import LiveNode, sign_in

pytestmark = pytest.mark.browser
WIDTHS = (1366, 390)


def _officer(browser: Any, node: LiveNode, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(60_000)  # a shared 2-core machine
    sign_in(page, node, username)
    return page


def _submit(page: Any, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_the_consul_schedules_allocates_and_sees_the_seat(
    browser: Any, live_node: LiveNode
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    consul = _officer(browser, live_node, "consular.uzb")
    consul.goto(f"{live_node.url}/repatriation/legs/new")
    departs = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0) + dt.timedelta(days=2)
    consul.get_by_label("Host state").select_option("KAZ")
    consul.get_by_label("Carrier").fill("Uzbekistan Airways")
    consul.get_by_label("Flight, train or bus number").fill("HY 2714")
    consul.get_by_label("From (city or airport code)").fill("NQZ")
    consul.get_by_label("From (name)").fill("Astana")
    consul.get_by_label("To (home region code)").fill("TAS")
    consul.get_by_label("To (name)").fill("Tashkent")
    consul.get_by_label("Departs (UTC)").fill(departs.strftime("%Y-%m-%dT%H:%M"))
    arrives = departs + dt.timedelta(hours=3)
    consul.get_by_label("Arrives (UTC)").fill(arrives.strftime("%Y-%m-%dT%H:%M"))
    consul.locator("#f-seats").fill("20")
    _submit(consul, "Continue")
    _submit(consul, "Schedule and announce the leg")
    leg_url = consul.url.split("?")[0]
    assert "/repatriation/legs/" in leg_url

    host = _officer(browser, live_node, "migration.kaz")
    host.goto(leg_url)
    _submit(host, "Continue")
    _submit(host, "Confirm")
    assert "Agreed by the host state" in host.content()
    host.context.close()

    consul.goto(f"{live_node.url}/repatriation/requests/new")
    consul.get_by_label("Host state (where the person is now)").select_option("KAZ")
    consul.get_by_label("Leaves from (city or airport code)").fill("NQZ")
    consul.get_by_label("Goes to (home region code)").fill("TAS")
    consul.get_by_label("Surname (Latin letters, as in the passport)").first.fill("NAZAROV")
    consul.get_by_label("Date of birth").first.fill("1975-05-05")
    consul.get_by_label("Passport number").fill("FA7100001")
    consul.get_by_label("Medical need").check()
    consul.get_by_label("The person agrees", exact=False).check()
    _submit(consul, "Add another person")  # no JavaScript: the form comes back with a row more
    assert consul.locator("#f-member2_surname").count() == 1
    assert consul.locator("#f-surname").input_value() == "NAZAROV"
    _submit(consul, "Continue")
    _submit(consul, "Register the request")
    request_url = consul.url.split("?")[0]
    consul.goto(f"{live_node.url}/repatriation/allocation")
    _submit(consul, "Allocate seats")
    consul.goto(request_url)
    assert "Seated on Uzbekistan Airways HY 2714" in consul.content()

    axe = Axe()
    public = browser.new_context(locale="en-GB").new_page()
    public.set_default_timeout(60_000)
    problems: dict[str, list[str]] = {}
    for width in WIDTHS:
        for page, path in (
            (consul, "/repatriation/requests"),
            (consul, request_url.removeprefix(live_node.url)),
            (consul, leg_url.removeprefix(live_node.url)),
            (consul, request_url.removeprefix(live_node.url) + "/edit"),
            (consul, "/repatriation/reception"),
            (public, "/return"),
            (public, "/return/status"),
        ):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_node.url}{path}")
            found = serious_axe_violations(axe, page)
            if found:
                problems[f"{width} {path}"] = found
    public.context.close()
    consul.context.close()
    assert not problems, problems
