"""A UZB consul brings nationals home from KAZ: the leg is announced to KAZ and agreed there,
seats are allocated with explanations, the manifest crosses as a signed envelope, KAZ's exit
check shows the agreed leg, the gate boards ten passengers by MRZ scan (closing their stays),
and UZB counts them. UZB runs on each test database, KAZ on a SQLite file."""

from __future__ import annotations

import datetime as dt
import itertools

from fastapi import FastAPI
from fastapi.testclient import TestClient

from kervan.accounts.roles import Role
from kervan.db.base import utcnow
from kervan.identity.mrz_build import MRZFields, build_mrz
from kervan.repatriation.counts import counts
from kervan.uow import unit_of_work
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
from tests.functional.two_nodes import two_node_fixtures, worker
from tests.functional.ui_support import make_user, signed_in_client

fed, settings, uzb, kaz, line = two_node_fixtures("KAZ")


def test_a_leg_home_from_announcement_to_arrival(
    uzb: FastAPI, kaz: FastAPI, fed: tuple, line: Loopback
) -> None:
    from_uzb, from_kaz = worker(uzb, fed, line, "UZB"), worker(kaz, fed, line, "KAZ")
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
    kaz_officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ")
    gate = token_client(kaz, Role.BORDER_OFFICER, "KAZ")
    documents = []
    for i in range(10):
        person = kaz_officer.post(
            "/api/v1/persons",
            json=person_body(
                primary_name=NAMES[i].title(),
                secondary_name="Alisher",
                birth_date={"year": 1980 + i, "month": 1 + i, "day": 10},
                travel_documents=[{"number": passport(i), "issuing_state": "UZB"}],
            ),
        )
        assert person.status_code == 201, person.text
        issued = kaz_officer.post(
            f"/api/v1/persons/{person.json()['id']}/stay-documents",
            json=document_body(number=f"WK{12345600 + i}"),
        )
        assert issued.status_code == 201, issued.text
        documents.append(issued.json()["id"])
    from_kaz.drain(max_rounds=5)  # the register's own stay.issued notices to UZB

    departs = (utcnow() + dt.timedelta(days=1)).replace(microsecond=0)
    leg = consul.post(f"{API}/legs", json=leg_body(departs))
    assert leg.status_code == 201, leg.text
    leg_id = leg.json()["id"]
    assert leg.json()["status"] == "announced"
    assert from_uzb.drain(max_rounds=5).delivered == 1
    agreed = kaz_officer.post(f"{API}/legs/{leg_id}/decision", json={"agree": True})
    assert agreed.status_code == 200, agreed.text
    assert from_kaz.drain(max_rounds=5).delivered == 1
    assert consul.get(f"{API}/legs").json()[0]["status"] == "agreed"

    reasons = ["medical", "elderly", "no_income", "minors", "pregnancy"]
    references = []
    for i in range(10):
        made = consul.post(f"{API}/requests", json=request_body([traveller(i)], [reasons[i % 5]]))
        assert made.status_code == 201, made.text
        references.append(made.json()["reference"])
    family = consul.post(
        f"{API}/requests",
        json=request_body(
            [
                {**traveller(0), "primary_identifier": "OLIMOV", "passport_number": "FA8000001"},
                {**traveller(1), "primary_identifier": "OLIMOVA", "passport_number": "FA8000002"},
            ],
            [],
            source="A-7KQ4-M2XD",
        ),
    )
    assert family.status_code == 201, family.text
    assert family.json()["channel"] == "assistance"

    run = consul.post(f"{API}/allocation")
    assert run.status_code == 200, run.text
    assert run.json()["people_seated"] == 10 and run.json()["waiting"] == 1
    waiting = consul.get(f"{API}/requests/{family.json()['reference']}").json()
    assert waiting["status"] == "waiting"
    assert waiting["explanation"]["code"] == "repatriation.waiting-group"
    assert waiting["explanation"]["params"]["room"] == 1
    seated = consul.get(f"{API}/requests/{references[0]}").json()
    assert seated["status"] == "allocated" and seated["explanation"]["params"]["leg"] == (
        "Uzbekistan Airways HY 2712"
    )
    assert consul.post(f"{API}/legs/{leg_id}/confirm-seats").json() == {"confirmed": 10}
    assert consul.post(f"{API}/legs/{leg_id}/manifest/send").json() == {"passengers": 10}

    edi = consul.get(f"{API}/legs/{leg_id}/manifest.edi").text
    assert edi.startswith("UNB+UNOA:4+UZB+KAZ") and "PAXLST:D:05B:UN:IATA" in edi
    assert edi.count("NAD+FL") == 10 and "CNT+42:10'" in edi and "DOC+P:110:111+FA7000003'" in edi
    csv_text = consul.get(f"{API}/legs/{leg_id}/manifest.csv").text
    assert csv_text.count("\n") == 11 and "KARIMOV" in csv_text
    assert consul.get(f"{API}/legs/{leg_id}/manifest.pdf").content.startswith(b"%PDF")
    assert consul.get(f"{API}/legs/{leg_id}/manifest.xlsx").content.startswith(b"PK")

    assert from_uzb.drain(max_rounds=5).delivered == 1
    at_gate = gate.get(f"{API}/legs/{leg_id}/manifest.csv")
    assert at_gate.status_code == 200 and at_gate.text.count("\n") == 11

    check = gate.post("/api/v1/exit-check", json={"mrz": mrz(3)})
    assert check.status_code == 200, check.text
    notes = check.json()["notes"]
    assert [n["code"] for n in notes] == ["repatriation.exit-agreed-leg"]
    assert notes[0]["params"]["leg"] == "Uzbekistan Airways HY 2712"

    not_listed = gate.post(
        f"{API}/legs/{leg_id}/boarding",
        json={"mrz": list(build_mrz("TD3", MRZFields(
            document_number="FA9999999", nationality="UZB", birth_date=dt.date(1990, 1, 1),
            expiry_date=dt.date(2031, 1, 1), primary_identifier="STRANGER")))},
    )  # fmt: skip
    assert not_listed.status_code == 404
    assert not_listed.json()["code"] == "repatriation.not-on-manifest"
    for i in range(10):
        boarded = gate.post(f"{API}/legs/{leg_id}/boarding", json={"mrz": mrz(i)})
        assert boarded.status_code == 200, boarded.text
        assert boarded.json()["stays_closed"] == 1 and not boarded.json()["already_boarded"]
    again = gate.post(f"{API}/legs/{leg_id}/boarding", json={"mrz": mrz(0)})
    assert again.json()["already_boarded"] and again.json()["stays_closed"] == 0
    for document_id in documents:
        status = kaz_officer.get(f"/api/v1/stay-documents/{document_id}").json()["status"]
        assert status == "cancelled"

    # Ten boarding notices, and the register's notices of the closed stays.
    assert from_kaz.drain(max_rounds=5).delivered >= 10
    assert consul.get(f"{API}/requests/{references[5]}").json()["status"] == "boarded"
    with unit_of_work(uzb.state.session_factory) as session:
        before = counts(session, "UZB", now=utcnow())
        after = counts(session, "UZB", now=departs + dt.timedelta(hours=3))
    assert before.departed == 10 and before.arrived == 0
    assert after.arrived == 10
    assert after.requests_by_status == {"boarded": 10, "waiting": 1}

    make_user(uzb.state.session_factory, "consul.pages", Role.CONSULAR_OFFICER, "UZB", "ru")
    with signed_in_client(uzb, "consul.pages") as pages:
        overview = pages.get("/repatriation")
        assert overview.status_code == 200 and "Uzbekistan Airways HY 2712" in overview.text
        assert "<meter" in overview.text and "Рейсы возвращения" in overview.text
        page = pages.get(f"/repatriation/legs/{leg_id}")
        assert page.status_code == 200 and f"/legs/{leg_id}/manifest.edi" in page.text


_ADDRESSES = itertools.count(1)


def _caller() -> tuple[str, int]:
    """An address of its own for each test: the public forms' rate limit is per address and
    lives as long as the process."""
    return (f"198.51.{next(_ADDRESSES)}.7", 50000)


def test_the_public_form_gives_a_reference_to_follow_and_keeps_bots_out(uzb: FastAPI) -> None:
    with TestClient(uzb, client=_caller()) as public:
        body = request_body([traveller(0)], ["medical"])
        sent = public.post(f"{API}/public/requests", json=body)
        assert sent.status_code == 201, sent.text
        receipt = sent.json()
        status = public.post(f"{API}/public/status", json=receipt)
        assert status.status_code == 200 and status.json()["status"] == "waiting"
        wrong = public.post(f"{API}/public/status", json={**receipt, "secret": "guess"})
        assert wrong.status_code == 404
        bot = public.post(f"{API}/public/requests", json={**body, "website": "http://spam"})
        assert bot.status_code == 201
        assert public.post(f"{API}/public/status", json=bot.json()).status_code == 404
        statuses = [public.post(f"{API}/public/requests", json=body).status_code for _ in range(3)]
        assert statuses[-1] == 429
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
    kept = consul.get(f"{API}/requests/{receipt['reference']}").json()
    assert kept["channel"] == "public" and kept["status"] == "waiting"


def test_without_consent_nothing_is_stored(uzb: FastAPI) -> None:
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
    refused = consul.post(f"{API}/requests", json=request_body([traveller(0)], [], consent=False))
    assert refused.status_code == 422
    assert refused.json()["code"] == "repatriation.consent-required"


def test_what_an_attacker_sends_to_the_public_form_is_refused_unread(uzb: FastAPI) -> None:
    with TestClient(uzb, client=_caller()) as public:
        huge = request_body([traveller(0)], [], contact="x" * 20_000)
        assert public.post(f"{API}/public/requests", json=huge).status_code == 413
        too_many = request_body([traveller(i % 10) for i in range(13)], [])
        assert public.post(f"{API}/public/requests", json=too_many).status_code == 422
        control = request_body([traveller(0)], [], contact="call me\x00")
        assert public.post(f"{API}/public/requests", json=control).status_code == 422
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
    assert consul.get(f"{API}/counts").status_code == 403  # analysts and migration officers
    bad_mrz = token_client(uzb, Role.BORDER_OFFICER, "UZB").post(
        f"{API}/legs/01a23c3b-6a2b-72de-8e9a-51e9e58063b1/boarding", json={"mrz": ["P<", "X"]}
    )
    assert bad_mrz.status_code == 404
