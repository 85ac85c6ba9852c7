"""The consulate's view in real Chromium: a consular officer of UZB signs in, searches the
documents of Uzbek nationals abroad, opens one and sees the proof of its signed envelope.

The UZB node is served by uvicorn; KAZ is a register of its own (a SQLite file) whose delivery
worker sends its signed envelopes to UZB over real HTTP, as between two machines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.migrate import upgrade
from kervan.demo.serving import free_port, served
from kervan.demo.trust_setup import make_federation
from kervan.exchange.transport import HttpTransport
from kervan.exchange.trust_store import install
from kervan.exchange.worker import Worker
from kervan.registry import service
from kervan.registry.enums import Sex, StayKind, StayPurpose
from kervan.registry.schemas import BirthDate, PersonCreate, StayDocumentCreate, TravelDocumentIn
from kervan.uow import unit_of_work
from kervan.web.app import create_app
from tests.browser.support import screenshot

pytestmark = pytest.mark.browser

CONSUL = "consul.uzb"
PASSWORD = "correct horse battery staple"


@dataclass
class Consulate:
    url: str
    document_id: str


def _settings(folder: Path, state: str) -> Settings:
    url = f"sqlite:///{folder / f'{state.lower()}.db'}"
    upgrade(url)
    return Settings(
        database_url=url,
        state=state,
        environment="test",
        secret_key="browser-test-secret-key",
        data_dir=folder / state,
        keys_dir=folder / "keys" / state,
    )


def _uzbek_in_kaz(sessions: sessionmaker[Session]) -> str:
    """KAZ issues a work permit to an Uzbek national; its outbox now holds the envelope."""
    today = dt.date.today()
    officer = system_principal("KAZ", "seed")
    with unit_of_work(sessions) as session:
        person = service.create_person(
            session,
            officer,
            PersonCreate(
                primary_name="Rahimov",
                secondary_name="Otkir",
                nationality="UZB",
                birth_date=BirthDate(year=1988, month=3, day=14),
                sex=Sex.MALE,
                travel_documents=[
                    TravelDocumentIn(
                        number="FA1234567", issuing_state="UZB", expiry_date=dt.date(2031, 5, 1)
                    )
                ],
            ),
        )
        permit = service.issue_document(
            session,
            officer,
            person.id,
            StayDocumentCreate(
                kind=StayKind.WORK_PERMIT,
                number="WK12345678",
                purpose=StayPurpose.WORK,
                valid_from=today - dt.timedelta(days=200),
                valid_until=today + dt.timedelta(days=90),
                reason="employer application 17",
            ),
            host_state="KAZ",
        )
        return str(permit.id)


@pytest.fixture(scope="module")
def consulate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Consulate]:
    folder = tmp_path_factory.mktemp("consulate")
    port = free_port()
    endpoints = {
        "OTS": "http://127.0.0.1:9",
        "KAZ": "http://127.0.0.1:9",
        "UZB": f"http://127.0.0.1:{port}",
    }
    trust_list, keys = make_federation(folder / "keys", endpoints, threshold=1)
    uzb_settings, kaz_settings = _settings(folder, "UZB"), _settings(folder, "KAZ")
    uzb = create_app(uzb_settings)
    with unit_of_work(uzb.state.session_factory) as session:
        install(session, trust_list, utcnow(), bootstrap=True)
        create_user(
            session,
            system_principal("UZB", "seed"),
            username=CONSUL,
            password=PASSWORD,
            role=Role.CONSULAR_OFFICER,
            state="UZB",
        )
    try:
        with served(uzb, port, name="the UZB node"):
            # Creating the app installs the exchange: register changes fill the outbox.
            kaz = create_app(kaz_settings)
            with unit_of_work(kaz.state.session_factory) as session:
                install(session, trust_list, utcnow(), bootstrap=True)
            document_id = _uzbek_in_kaz(kaz.state.session_factory)
            transport = HttpTransport(timeout=10)
            worker = Worker(kaz_settings, kaz.state.session_factory, keys["KAZ"], transport)
            delivered = worker.drain(max_rounds=5).delivered
            transport.close()
            kaz.state.engine.dispose()
            assert delivered == 1, "KAZ's envelope did not reach UZB"
            yield Consulate(url=f"http://127.0.0.1:{port}", document_id=document_id)
    finally:
        uzb.state.engine.dispose()


def test_a_consul_finds_a_national_abroad_and_sees_the_envelope_proof(
    page: Any, consulate: Consulate
) -> None:
    page.goto(f"{consulate.url}/sign-in")
    page.get_by_label("Username").fill(CONSUL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{consulate.url}/")
    page.get_by_role("link", name="Nationals abroad").click()
    page.wait_for_url(f"{consulate.url}/nationals-abroad")
    # Typed in Uzbek Cyrillic, stored in ICAO Latin; the results come over htmx as they type.
    page.get_by_label("Name or document number").press_sequentially("Раҳимов", delay=30)
    page.wait_for_url("**/nationals-abroad?q=*")
    result = page.get_by_role("link", name="RAHIMOV OTKIR")
    result.wait_for()
    screenshot(page, "en-nationals-abroad")
    result.click()
    page.wait_for_url(f"{consulate.url}/nationals-abroad/KAZ/{consulate.document_id}")
    page.get_by_text("WK12345678").first.wait_for()
    screenshot(page, "en-national-abroad")
    page.get_by_role("link", name="Check the proof of this envelope").click()
    page.wait_for_url("**/evidence")
    page.get_by_text("Proven: the envelope is authentic").wait_for()
    assert page.locator("tr.check-ok").count() == 5
    assert page.locator("tr.check-failed").count() == 0
    page.get_by_text("signed by KAZ:", exact=False).first.wait_for()
    screenshot(page, "en-envelope-proof")
