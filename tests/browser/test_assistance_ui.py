"""Assistance in real Chromium, two nodes: a person asks for help on KAZ's public page with
JavaScript off, in Russian and in Kyrgyz; KAZ's migration officer triages the request and refers
it to UZB; UZB's consul accepts it on UZB's node; KAZ's officer sees the referral accepted.

Both nodes are served by uvicorn on 127.0.0.1; the signed envelopes travel over real HTTP by
each node's delivery worker, run here a round at a time."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.migrate import upgrade
from kervan.demo.serving import free_port, served
from kervan.demo.trust_setup import make_federation
from kervan.exchange.keys import SigningKey
from kervan.exchange.transport import HttpTransport
from kervan.exchange.trust_store import install
from kervan.exchange.worker import Worker
from kervan.uow import unit_of_work
from kervan.web import public_intake
from kervan.web.app import create_app
from tests.browser.page_scan import serious_axe_violations
from tests.browser.support import screenshot

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
AXE_WIDTHS = (1366, 390)  # desk and phone, as tests/browser/test_officer_day.py


@dataclass
class Node:
    url: str
    app: FastAPI
    signing: SigningKey

    def deliver(self) -> int:
        transport = HttpTransport(timeout=10)
        settings = self.app.state.settings
        worker = Worker(settings, self.app.state.session_factory, self.signing, transport)
        try:
            return worker.drain(max_rounds=5).delivered
        finally:
            transport.close()


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Node]]:
    folder = tmp_path_factory.mktemp("assistance")
    ports = {"KAZ": free_port(), "UZB": free_port()}
    endpoints = {
        "OTS": "http://127.0.0.1:9",
        **{s: f"http://127.0.0.1:{p}" for s, p in ports.items()},
    }
    trust_list, keys = make_federation(folder / "keys", endpoints, threshold=1)
    found: dict[str, Node] = {}
    running = ExitStack()  # both nodes served until the module's tests are done
    for state, user, role in (
        ("KAZ", "migration.kaz", Role.MIGRATION_OFFICER),
        ("UZB", "consul.uzb", Role.CONSULAR_OFFICER),
    ):
        url = f"sqlite:///{folder / f'{state.lower()}.db'}"
        upgrade(url)
        settings = Settings(
            database_url=url,
            state=state,
            environment="test",
            secret_key="browser-test-secret-key",
            data_dir=folder / state,
            keys_dir=folder / "keys" / state,
        )
        app = create_app(settings)
        with unit_of_work(app.state.session_factory) as session:
            install(session, trust_list, utcnow(), bootstrap=True)
            create_user(
                session,
                system_principal(state, "seed"),
                username=user,
                password=PASSWORD,
                role=role,
                state=state,
            )
        url = running.enter_context(served(app, ports[state], name=f"the {state} node"))
        found[state] = Node(url, app, keys[state])
    try:
        yield found
    finally:
        running.close()
        for node in found.values():
            node.app.state.engine.dispose()


def _ask_for_help(browser: Any, node: Node, lang: str, received: str) -> str:
    """A basic phone: no JavaScript, a narrow screen."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.goto(f"{node.url}/help?lang={lang}")
        page.locator("#f-full_name").fill("Юсупов Азамат")
        page.locator("#f-nationality").select_option("UZB")
        page.locator("input[name=needs][value=return_travel]").check()
        page.locator("input[name=needs][value=wages_or_job]").check()
        page.locator("#f-contact").fill("+7 700 123 45 67")
        page.locator("#f-city").fill("Алматы")
        page.locator("input[name=consent]").check()
        page.locator("button[type=submit]").click()
        page.get_by_text(received).wait_for()
        screenshot(page, f"{lang}-help-received")
        reference = page.locator("[data-reference]").inner_text()
        secret = page.locator("[data-secret]").inner_text()
        page.goto(f"{node.url}/help/status?lang={lang}")
        page.locator("#f-reference").fill(reference)
        page.locator("#f-secret").fill(secret)
        page.locator("button[type=submit]").click()
        page.locator("[data-status=new]").wait_for()
        assert "Юсупов" not in page.content()  # the status only, nothing personal
        return reference
    finally:
        context.close()


def _sign_in(page: Any, node: Node, username: str) -> None:
    page.goto(f"{node.url}/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{node.url}/")


def test_public_request_triaged_referred_and_accepted_across_two_nodes(
    browser: Any, page: Any, nodes: dict[str, Node]
) -> None:
    public_intake.public_limit._seen.clear()
    kaz, uzb = nodes["KAZ"], nodes["UZB"]
    _ask_for_help(browser, kaz, "ky", "Сурамыңыз кабыл алынды")
    reference = _ask_for_help(browser, kaz, "ru", "Ваш запрос получен")

    _sign_in(page, kaz, "migration.kaz")
    page.get_by_role("link", name="Cases").click()
    page.get_by_role("link", name="To triage").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_text("From the public help request: not verified").wait_for()
    page.get_by_label("Move to").select_option("triaged")
    page.get_by_role("button", name="Change the status").click()
    page.locator("[data-status=triaged]").wait_for()
    page.get_by_label("Why refer").fill("labour migrant without wages, wants to go home")
    page.locator("[data-action=refer]").click()
    page.locator("[data-status=referred]").wait_for()
    screenshot(page, "en-case-referred")
    assert kaz.deliver() == 1

    _sign_in(page, uzb, "consul.uzb")
    page.goto(f"{uzb.url}/cases?view=triage")
    page.get_by_role("link", name=reference).click()
    page.get_by_text("Referral awaiting decision").wait_for()
    page.locator("[data-action=accept]").click()
    page.locator("[data-status=in_progress]").wait_for()
    screenshot(page, "en-case-accepted")
    assert uzb.deliver() == 1

    _sign_in(page, kaz, "migration.kaz")
    page.goto(f"{kaz.url}/cases/find?reference={reference}")
    page.locator("[data-referral=accepted]").wait_for()
    assert re.search(r"Referral accepted", page.content())


def _case_in_conflict(node: Node) -> str:
    """A case of KAZ's with two concurrent changes of its contact (neither based on the
    other): its page shows the conflict side by side."""
    from kervan.assistance import service
    from kervan.assistance.schemas import CaseCreate, FieldEdit
    from kervan.assistance.sla import DEFAULT_SLA
    from tests.functional.assistance_support import case_body

    officer = system_principal("KAZ", "migration.kaz")
    with unit_of_work(node.app.state.session_factory) as session:
        case, _ = service.create_case(
            session,
            officer,
            CaseCreate.model_validate(case_body()),
            node_state="KAZ",
            sla=DEFAULT_SLA,
            now=utcnow(),
        )
        for value in ("+7 701 000 00 01", "+7 701 000 00 02"):
            edit = FieldEdit(field="contact", value=value, based_on=[])
            service.edit(session, officer, case.id, [edit], sla=DEFAULT_SLA, now=utcnow())
        return str(case.id)


def test_the_assistance_pages_are_free_of_serious_axe_violations(
    browser: Any, page: Any, nodes: dict[str, Node]
) -> None:
    """Queue, a case with a conflict, the new case form, the public help form, its receipt,
    the status form and its answer: axe at desk and phone widths (the nodes of the test above,
    no start-up of their own)."""
    from axe_playwright_python.sync_playwright import Axe

    public_intake.public_limit._seen.clear()
    kaz, axe = nodes["KAZ"], Axe()
    conflict = _case_in_conflict(kaz)
    problems: dict[str, list[str]] = {}

    _sign_in(page, kaz, "migration.kaz")
    for path in ("/cases", "/cases?view=conflicts", "/cases/new", f"/cases/{conflict}"):
        page.goto(f"{kaz.url}{path}")
        _check(page, axe, path, problems)
    page.get_by_text("Conflicting changes to resolve").wait_for()

    public = browser.new_context(viewport={"width": 1366, "height": 900})
    asker = public.new_page()
    try:
        asker.goto(f"{kaz.url}/help?lang=en")
        _check(asker, axe, "/help", problems)
        asker.locator("#f-full_name").fill("Юсупов Азамат")
        asker.locator("#f-nationality").select_option("UZB")
        asker.locator("input[name=needs][value=return_travel]").check()
        asker.locator("#f-contact").fill("+7 700 123 45 67")
        asker.locator("input[name=consent]").check()
        asker.locator("button[type=submit]").click()
        reference = asker.locator("[data-reference]").inner_text()
        secret = asker.locator("[data-secret]").inner_text()
        _check(asker, axe, "/help (receipt)", problems)
        asker.goto(f"{kaz.url}/help/status?lang=en")
        _check(asker, axe, "/help/status", problems)
        asker.locator("#f-reference").fill(reference)
        asker.locator("#f-secret").fill(secret)
        asker.locator("button[type=submit]").click()
        asker.locator("[data-status=new]").wait_for()
        _check(asker, axe, "/help/status (answer)", problems)
    finally:
        public.close()
    assert not problems, problems


def _check(page: Any, axe: Any, name: str, problems: dict[str, list[str]]) -> None:
    for width in AXE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found = serious_axe_violations(axe, page)
        if found:
            problems[f"{name} at {width} px"] = found
