"""A leg home across two nodes that are separate programs: UZB (the home state) is its own OS
process serving HTTP on PostgreSQL (``kervan.demo.serve_node``, started by the load-test pair),
KAZ (the host) runs in the test. The consul schedules a leg over HTTP, it is announced to KAZ
and agreed there, seats are allocated, the signed manifest crosses, the gate boards ten
passengers by MRZ scan, KAZ's register shows them departed, and UZB counts them arrived."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.accounts.tokens import create_token
from kervan.db.base import utcnow
from kervan.db.engine import make_engine
from kervan.demo.loadtest import Pair
from kervan.exchange.transport import HttpTransport
from kervan.exchange.worker import Worker
from kervan.repatriation.counts import counts
from kervan.uow import unit_of_work
from kervan.web.app import create_app
from kervan.wiring import node_session_factory
from tests.functional.exchange_support import Loopback, token_client
from tests.functional.register_data import document_body, person_body
from tests.functional.repatriation_support import (
    API,
    NAMES,
    leg_body,
    mrz,
    passport,
    request_body,
    traveller,
)
from tests.integration.federation_support import node_pair

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    yield from node_pair(tmp_path_factory, "returns")


def _consul_token(pair: Pair) -> str:
    engine = make_engine(pair.receiver.database_url)
    with unit_of_work(node_session_factory(engine, pair.receiver)) as session:
        user = create_user(
            session,
            system_principal("UZB", "test"),
            username="consul.uzb",
            password="correct horse battery staple",
            role=Role.CONSULAR_OFFICER,
            state="UZB",
        )
        _, secret = create_token(session, user, "test")
    engine.dispose()
    return secret


def test_ten_passengers_board_at_kaz_and_arrive_home(pair: Pair) -> None:
    kaz_app = create_app(pair.sender)
    uzb_engine = make_engine(pair.receiver.database_url)
    uzb_sessions = node_session_factory(uzb_engine, pair.receiver)
    consul = httpx.Client(
        base_url=pair.receiver_url,
        headers={"Authorization": f"Bearer {_consul_token(pair)}"},
        timeout=60,
    )
    with TestClient(kaz_app) as to_kaz:
        from_uzb = Worker(
            pair.receiver, uzb_sessions, pair.signers["UZB"],
            Loopback({"http://127.0.0.1:9": to_kaz}), jitter=lambda: 0.0,
        )  # fmt: skip
        from_kaz = Worker(
            pair.sender, kaz_app.state.session_factory, pair.signers["KAZ"],
            HttpTransport(timeout=60), jitter=lambda: 0.0,
        )  # fmt: skip
        officer = token_client(kaz_app, Role.MIGRATION_OFFICER, "KAZ")
        gate = token_client(kaz_app, Role.BORDER_OFFICER, "KAZ")
        documents = []
        for i in range(10):
            person = officer.post(
                "/api/v1/persons",
                json=person_body(
                    primary_name=NAMES[i].title(), secondary_name="Alisher",
                    birth_date={"year": 1980 + i, "month": 1 + i, "day": 10},
                    travel_documents=[{"number": passport(i), "issuing_state": "UZB"}],
                ),
            )  # fmt: skip
            assert person.status_code == 201, person.text
            issued = officer.post(
                f"/api/v1/persons/{person.json()['id']}/stay-documents",
                json=document_body(number=f"WK{12345600 + i}"),
            )
            assert issued.status_code == 201, issued.text
            documents.append(issued.json()["id"])

        departs = (utcnow() + dt.timedelta(days=1)).replace(microsecond=0)
        leg = consul.post(f"{API}/legs", json=leg_body(departs))
        assert leg.status_code == 201, leg.text
        leg_id = leg.json()["id"]
        assert from_uzb.drain(max_rounds=5).delivered == 1  # announced to KAZ
        agreed = officer.post(f"{API}/legs/{leg_id}/decision", json={"agree": True})
        assert agreed.status_code == 200, agreed.text
        assert from_kaz.drain(max_rounds=5).delivered >= 1  # over HTTP to UZB's process
        assert consul.get(f"{API}/legs").json()[0]["status"] == "agreed"

        for i in range(10):
            made = consul.post(f"{API}/requests", json=request_body([traveller(i)], ["medical"]))
            assert made.status_code == 201, made.text
        run = consul.post(f"{API}/allocation", timeout=120)
        assert run.status_code == 200 and run.json()["people_seated"] == 10, run.text
        assert consul.post(f"{API}/legs/{leg_id}/confirm-seats").json() == {"confirmed": 10}
        assert consul.post(f"{API}/legs/{leg_id}/manifest/send").json() == {"passengers": 10}
        assert from_uzb.drain(max_rounds=5).delivered == 1  # the signed manifest

        for i in range(10):
            boarded = gate.post(f"{API}/legs/{leg_id}/boarding", json={"mrz": mrz(i)})
            assert boarded.status_code == 200, boarded.text
            assert boarded.json()["stays_closed"] == 1
        for document_id in documents:  # the host register: departed, the stay closed
            found = officer.get(f"/api/v1/stay-documents/{document_id}").json()
            assert found["status"] == "cancelled"
        assert from_kaz.drain(max_rounds=10).delivered >= 10  # boarding notices to UZB
    with unit_of_work(uzb_sessions) as session:
        seen = counts(session, "UZB", now=departs + dt.timedelta(hours=3))
    assert seen.departed == 10 and seen.arrived == 10
    assert seen.requests_by_status == {"boarded": 10}
    consul.close()
    kaz_app.state.engine.dispose()
    uzb_engine.dispose()
