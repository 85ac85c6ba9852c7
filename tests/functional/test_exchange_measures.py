"""Measures and waivers across the federation: a measure brought into force or lifted in KAZ is
announced to every other node (the secretariat included), and its waivers — or an officer's —
reach the home state of each person, whose consulate sees them next to the documents. KAZ runs
on each test database, the receivers on SQLite files of their own; a receiver on each test
database is checked at its inbox."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role, system_principal
from kervan.config import Settings
from kervan.exchange.envelopes import open_receipt, sha256_hex
from kervan.exchange.message_types import schema_problem
from kervan.exchange.models import (
    ExchangeMessage,
    ForeignMeasure,
    NationalAbroadWaiver,
    OutboxMessage,
)
from kervan.exchange.render import render_bodies
from kervan.exchange.transport import INBOX_PATH
from kervan.exchange.worker import Worker
from kervan.measures.models import Measure
from kervan.measures.texts import set_texts
from kervan.registry.models import StayDocument, Violation
from kervan.uow import unit_of_work
from tests.functional.conftest import ClientFactory
from tests.functional.exchange_support import (
    Loopback,
    exchange_node,
    federation_fixture,  # noqa: F401 - the fed fixture
    node_settings,
    sqlite_node,
    token_client,
    uzb_fixture,  # noqa: F401 - the uzb fixture
)
from tests.functional.register_data import document_body, person_body
from tests.functional.test_measures_api import _example
from tests.unit.exchange.support import ENDPOINTS, envelope, stay_body

REFERENCE = "KAZ-2020-emergency"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return node_settings("KAZ", database_url, tmp_path / "keys")


@pytest.fixture
def app(settings: Settings, fed: tuple) -> Iterator[FastAPI]:
    """KAZ, on the test database."""
    kaz = exchange_node(settings, fed[0])
    yield kaz
    kaz.state.engine.dispose()


@pytest.fixture
def ots(tmp_path: Path, sqlite_template: Path, fed: tuple) -> Iterator[FastAPI]:
    node = sqlite_node("OTS", tmp_path, sqlite_template, fed[0])
    yield node
    node.state.engine.dispose()


@pytest.fixture
def line(uzb: FastAPI, ots: FastAPI) -> Iterator[Loopback]:
    """UZB and the secretariat answer; TUR is on the trust list but unreachable."""
    with TestClient(uzb) as uzb_client, TestClient(ots) as ots_client:
        yield Loopback({ENDPOINTS["UZB"]: uzb_client, ENDPOINTS["OTS"]: ots_client})


@pytest.fixture
def worker(app: FastAPI, settings: Settings, fed: tuple, line: Loopback) -> Worker:
    return Worker(settings, app.state.session_factory, fed[1]["KAZ"], line, jitter=lambda: 0.0)


def _outbox(factory: sessionmaker[Session], type: str) -> list[OutboxMessage]:
    with factory() as session:
        return list(
            session.scalars(
                select(OutboxMessage).where(OutboxMessage.type == type).order_by(OutboxMessage.id)
            )
        )


def _rendered_bodies_pass_their_schema(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        messages = list(session.scalars(select(OutboxMessage)))
        bodies = render_bodies(session, messages)
    for message in messages:
        body = bodies[message.id]
        assert body is not None
        assert schema_problem(message.type, 1, body) is None, (message.type, body)


def _bring_into_force(officer: TestClient) -> str:
    created = officer.post("/api/v1/measures", json=_example())
    assert created.status_code == 201, created.text
    measure_id: str = created.json()["id"]
    assert officer.post(f"/api/v1/measures/{measure_id}/preview").status_code == 200
    activated = officer.post(f"/api/v1/measures/{measure_id}/activate")
    assert activated.json()["status"] == "in_force", activated.text
    return measure_id


def _foreign(node: FastAPI) -> list[ForeignMeasure]:
    with node.state.session_factory() as session:
        return list(session.scalars(select(ForeignMeasure)))


def _audited(node: FastAPI, action: str) -> list[AuditEntry]:
    with node.state.session_factory() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


# ----------------------------------------------------------------------------------------------
# measure.announced


def test_a_measure_in_force_then_lifted_reaches_the_secretariat_and_a_member(
    officer_client: TestClient,
    app: FastAPI,
    uzb: FastAPI,
    ots: FastAPI,
    worker: Worker,
    line: Loopback,
    fed: tuple,
) -> None:
    measure_id = _bring_into_force(officer_client)
    announced = _outbox(app.state.session_factory, "measure.announced")
    assert sorted(m.to_state for m in announced) == ["OTS", "TUR", "UZB"]  # not KAZ itself
    assert {str(m.subject_id) for m in announced} == {measure_id}
    assert all(m.body["measure"]["status"] == "in_force" for m in announced)
    _rendered_bodies_pass_their_schema(app.state.session_factory)
    assert worker.drain(max_rounds=5).delivered == 2  # UZB and OTS; TUR is unreachable
    first: dict[str, ForeignMeasure] = {}
    for node in (uzb, ots):
        (kept,) = _foreign(node)
        assert (kept.issuing_state, kept.reference, kept.status) == ("KAZ", REFERENCE, "in_force")
        assert str(kept.measure_id) == measure_id
        assert kept.period_start == dt.date(2020, 3, 16) and kept.legal_number == "285"
        assert kept.title["en"] == "State of emergency, spring 2020"
        first[node.state.settings.state] = kept

    lifted = officer_client.post(f"/api/v1/measures/{measure_id}/lift", json={"reason": "over"})
    assert lifted.status_code == 200, lifted.text
    announced = _outbox(app.state.session_factory, "measure.announced")
    assert sorted(m.to_state for m in announced if m.body["measure"]["status"] == "lifted") == [
        "OTS",
        "TUR",
        "UZB",
    ]
    assert worker.drain(max_rounds=5).delivered == 2
    for node in (uzb, ots):
        (kept,) = _foreign(node)
        before = first[node.state.settings.state]
        assert kept.status == "lifted" and kept.envelope_id > before.envelope_id
        assert kept.first_received_at == before.first_received_at

    # A late copy of the older announcement does not bring the measure back into force.
    with app.state.session_factory() as session:
        older = session.get_one(ExchangeMessage, first["OTS"].envelope_id)
    with TestClient(ots) as client:
        (receipt,) = _post(client, older.envelope)
    assert open_receipt(receipt, fed[2]).status == "accepted"
    assert _foreign(ots)[0].status == "lifted"

    with TestClient(uzb):
        consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
        (listed,) = consul.get("/api/v1/exchange/foreign-measures").json()
        assert listed["reference"] == REFERENCE and listed["status"] == "lifted"
        assert (
            consul.get("/api/v1/exchange/foreign-measures", params={"status": "in_force"}).json()
            == []
        )
        detail = consul.get(f"/api/v1/exchange/foreign-measures/KAZ/{REFERENCE}").json()
        assert detail["measure"]["envelope_id"] == listed["envelope_id"]
        receipt_of = open_receipt(detail["receipt"], fed[2])
        assert receipt_of.envelope_sha256 == sha256_hex(detail["envelope"])
        assert consul.get("/api/v1/exchange/foreign-measures/KAZ/NOPE").status_code == 404
        border = token_client(uzb, Role.BORDER_OFFICER, "UZB")
        assert border.get("/api/v1/exchange/foreign-measures").status_code == 403
    assert len(_audited(uzb, "foreign_measures.list")) == 2
    assert len(_audited(uzb, "foreign_measures.read")) == 1
    with TestClient(ots):
        analyst = token_client(ots, Role.SECRETARIAT_ANALYST, "OTS")
        (seen,) = analyst.get("/api/v1/exchange/foreign-measures").json()
        assert seen["issuing_state"] == "KAZ" and seen["status"] == "lifted"


def test_a_node_announces_only_its_own_states_measures(
    officer_client: TestClient, app: FastAPI
) -> None:
    """A measure of another state kept on this node (say, for comparison) is not announced:
    its receivers would refuse it from anyone but its issuer."""
    foreign = {**_example(), "reference": "UZB-2020-emergency", "issuing_state": "UZB"}
    created = officer_client.post("/api/v1/measures", json=foreign).json()
    officer_client.post(f"/api/v1/measures/{created['id']}/preview")
    activated = officer_client.post(f"/api/v1/measures/{created['id']}/activate")
    assert activated.json()["status"] == "in_force"
    assert _outbox(app.state.session_factory, "measure.announced") == []
    own = _bring_into_force(officer_client)
    announced = _outbox(app.state.session_factory, "measure.announced")
    assert {str(m.subject_id) for m in announced} == {own} and len(announced) == 3


def test_texts_edited_after_the_announcement_reach_the_peers_in_their_language(
    officer_client: TestClient, app: FastAPI, uzb: FastAPI, worker: Worker, line: Loopback
) -> None:
    """The existing update path: the measure is announced again with its new texts, and the
    peer keeps the newest copy (issue 12)."""
    measure_id = _bring_into_force(officer_client)
    uz_title = "Favqulodda holat, 2020 yil bahori"
    officer = system_principal("KAZ", "aigerim.officer")
    with unit_of_work(app.state.session_factory) as session:
        title = {**session.get_one(Measure, uuid.UUID(measure_id)).title, "uz": uz_title}
        changes = set_texts(
            session, officer, uuid.UUID(measure_id), {"title": title}, own_state="KAZ"
        )
    assert [(c.field, c.language) for c in changes] == [("title", "uz")]
    again = [
        m
        for m in _outbox(app.state.session_factory, "measure.announced")
        if m.body["measure"]["title"].get("uz") == uz_title
    ]
    assert sorted(m.to_state for m in again) == ["OTS", "TUR", "UZB"]
    assert again[0].body["measure"]["status"] == "in_force"
    _rendered_bodies_pass_their_schema(app.state.session_factory)
    worker.drain(max_rounds=5)
    (kept,) = _foreign(uzb)
    assert kept.title["uz"] == uz_title
    assert kept.title["en"] == "State of emergency, spring 2020"  # the original is kept


@pytest.fixture
def receiver(database_url: str, tmp_path: Path, fed: tuple) -> Iterator[FastAPI]:
    """UZB on the test database: what a receiver keeps, on both databases."""
    node = exchange_node(node_settings("UZB", database_url, tmp_path / "keys"), fed[0])
    yield node
    node.state.engine.dispose()


def _measure_body(status: str, issuing_state: str = "KAZ") -> dict[str, Any]:
    return {
        "measure": {
            "reference": REFERENCE,
            "issuing_state": issuing_state,
            "legal_act": "Decree of the President",
            "legal_number": "285",
            "legal_date": "2020-03-15",
            "period_start": "2020-03-16",
            "period_end": "2020-05-15",
            "title": {"en": "State of emergency"},
            "summary": {"en": "Documents stay valid"},
            "status": status,
        }
    }


def _post(client: TestClient, *envelopes: str) -> list[Any]:
    response = client.post(INBOX_PATH, json={"envelopes": list(envelopes)})
    assert response.status_code == 200, response.text
    receipts: list[Any] = response.json()["receipts"]
    return receipts


def test_receiver_keeps_the_newest_announcement_and_refuses_one_for_another_state(
    receiver: FastAPI, fed: tuple
) -> None:
    kaz, measure_id = fed[1]["KAZ"], str(uuid.uuid4())
    subject = {"type": "measure", "id": measure_id}
    now = dt.datetime.now(dt.UTC)
    in_force = envelope(
        kaz,
        type="measure.announced",
        body=_measure_body("in_force"),
        subject=subject,
        created_at=now - dt.timedelta(minutes=2),
    )
    lifted = envelope(
        kaz,
        type="measure.announced",
        body=_measure_body("lifted"),
        subject=subject,
        created_at=now - dt.timedelta(minutes=1),
    )
    forged = envelope(
        fed[1]["TUR"],
        type="measure.announced",
        body=_measure_body("lifted", issuing_state="KAZ"),
        subject=subject,
    )
    with TestClient(receiver) as client:
        (newer,) = _post(client, lifted)  # reordered: the newer one arrives first
        older, refused = _post(client, in_force, forged)
    assert open_receipt(newer, fed[2]).status == "accepted"
    assert open_receipt(older, fed[2]).status == "superseded"  # logged, not applied
    refusal = open_receipt(refused, fed[2])
    assert refusal.status == "rejected" and refusal.reason == "not-for-this-node"
    assert "TUR announces a measure of KAZ" in refusal.detail
    (kept,) = _foreign(receiver)
    assert (kept.issuing_state, kept.status, str(kept.measure_id)) == ("KAZ", "lifted", measure_id)
    assert str(kept.envelope_id) == open_receipt(newer, fed[2]).envelope_id
    with receiver.state.session_factory() as session:
        logged = set(session.scalars(select(ExchangeMessage.type)))
    assert logged == {"measure.announced"}  # both logged, as evidence; the forgery is not

    # The measures page lists it under the other states' measures, in the officer's language.
    from tests.functional.ui_support import make_user, signed_in_client

    make_user(receiver.state.session_factory, "uzb.officer", Role.MIGRATION_OFFICER, "UZB", "ru")
    page = signed_in_client(receiver, "uzb.officer").get("/measures").text
    row = page.split(f'data-reference="{REFERENCE}"')[1].split("</tr>")[0]
    assert "State of emergency" in row and "Decree of the President" in row
    assert 'data-status="lifted"' in row and "Отменена" in row


def _waiver_body(
    person_id: uuid.UUID, violations: list[dict[str, Any]], **waiver: Any
) -> dict[str, Any]:
    return {
        "person": stay_body(person_id=person_id)["person"],
        "violations": violations,
        "waiver": {
            "at": "2026-11-27T08:00:00Z",
            "measure_id": None,
            "measure": None,
            "reason": None,
            **waiver,
        },
    }


def test_receiver_keeps_waivers_next_to_the_documents_newest_first(
    receiver: FastAPI, fed: tuple
) -> None:
    kaz = fed[1]["KAZ"]
    person_id, document_id, violation_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    violation = {
        "id": str(violation_id),
        "kind": "overstay",
        "period_start": "2020-04-02",
        "period_end": None,
        "status": "waived",
    }
    now = dt.datetime.now(dt.UTC)
    document = envelope(
        kaz, body=stay_body(person_id=person_id, document_id=document_id), created_at=now
    )
    older = envelope(
        kaz,
        type="violation.waived",
        body=_waiver_body(person_id, [violation], reason="humanitarian grounds"),
        created_at=now - dt.timedelta(minutes=1),
    )
    measure_id = str(uuid.uuid4())
    newer = envelope(
        kaz,
        type="violation.waived",
        body=_waiver_body(
            person_id,
            [{**violation, "period_end": "2020-04-20"}],
            measure_id=measure_id,
            measure="KAZ-2020-emergency (State of emergency)",
        ),
        created_at=now,
    )
    with TestClient(receiver) as client:
        receipts = _post(client, document, newer)
        assert [open_receipt(r, fed[2]).status for r in receipts] == ["accepted", "accepted"]
        (late,) = _post(client, older)  # older than what was applied: logged, changes nothing
        assert open_receipt(late, fed[2]).status == "superseded"
        consul = token_client(receiver, Role.CONSULAR_OFFICER, "UZB")
        detail = consul.get(f"/api/v1/exchange/nationals-abroad/KAZ/{document_id}").json()
        other = token_client(receiver, Role.CONSULAR_OFFICER, "TUR")
        hidden = other.get(f"/api/v1/exchange/nationals-abroad/KAZ/{document_id}")
    (waiver,) = detail["waivers"]
    assert waiver["violation_id"] == str(violation_id) and waiver["period_end"] == "2020-04-20"
    assert waiver["measure_id"] == measure_id and waiver["reason"] is None
    assert waiver["status"] == "waived" and waiver["kind"] == "overstay"
    assert hidden.status_code == 404
    with receiver.state.session_factory() as session:
        kept = session.scalars(select(NationalAbroadWaiver)).one()
        assert kept.host_state == "KAZ" and kept.person_id == person_id
        assert session.get(ExchangeMessage, kept.envelope_id) is not None
    assert len(_audited(receiver, "nationals_abroad.read")) == 1


# ----------------------------------------------------------------------------------------------
# violation.waived from a measure and from an officer


def _person(officer: TestClient, nationality: str, number: str) -> str:
    body = person_body(
        nationality=nationality,
        travel_documents=[
            {"number": number, "issuing_state": nationality, "expiry_date": "2030-01-01"}
        ],
    )
    created = officer.post("/api/v1/persons", json=body)
    assert created.status_code == 201, created.text
    person_id: str = created.json()["id"]
    return person_id


def _document(officer: TestClient, person_id: str, number: str, **dates: str) -> str:
    body = document_body(number=number, **dates)
    created = officer.post(f"/api/v1/persons/{person_id}/stay-documents", json=body)
    assert created.status_code == 201, created.text
    document_id: str = created.json()["id"]
    return document_id


def _violation(officer: TestClient, person_id: str, kind: str, start: str, end: str | None) -> str:
    body = {"kind": kind, "period_start": start, "period_end": end}
    created = officer.post(f"/api/v1/persons/{person_id}/violations", json=body)
    assert created.status_code == 201, created.text
    violation_id: str = created.json()["id"]
    return violation_id


def _waivers_by_person(factory: sessionmaker[Session]) -> dict[tuple[str, str], set[str]]:
    return {
        (str(m.subject_id), m.to_state): {
            str(uuid.UUID(v["violation_id"])) for v in m.body["violations"]
        }
        for m in _outbox(factory, "violation.waived")
    }


def test_a_measure_reports_its_waivers_to_each_home_state_once_per_person(
    officer_client: TestClient, app: FastAPI, uzb: FastAPI, worker: Worker
) -> None:
    uzbek = _person(officer_client, "UZB", "FA1234567")
    document_id = _document(
        officer_client, uzbek, "WK12345678", valid_from="2020-01-10", valid_until="2020-04-01"
    )
    overstay = _violation(officer_client, uzbek, "overstay", "2020-04-02", "2020-04-20")
    late = _violation(officer_client, uzbek, "missing_registration", "2020-03-20", "2020-03-25")
    _violation(officer_client, uzbek, "overstay", "2019-01-01", "2019-02-01")  # before the window
    turk = _person(officer_client, "TUR", "U1234567")
    turk_overstay = _violation(officer_client, turk, "overstay", "2020-04-01", None)
    chinese = _person(officer_client, "CHN", "E12345678")  # not a member state: no node
    _violation(officer_client, chinese, "overstay", "2020-04-01", "2020-04-05")

    measure_id = _bring_into_force(officer_client)
    applied = officer_client.post(f"/api/v1/measures/{measure_id}/apply").json()
    assert applied["violations_waived"] == 4
    assert _waivers_by_person(app.state.session_factory) == {
        (uzbek, "UZB"): {overstay, late},
        (turk, "TUR"): {turk_overstay},
    }
    waivers = _outbox(app.state.session_factory, "violation.waived")
    assert all(m.body["measure_id"] == measure_id for m in waivers)
    assert applied["messages_written"] == 1 + 2  # one stay.extended, two violation.waived
    _rendered_bodies_pass_their_schema(app.state.session_factory)
    again = officer_client.post(f"/api/v1/measures/{measure_id}/apply").json()
    assert (again["violations_waived"], again["messages_written"]) == (0, 0)
    assert len(_outbox(app.state.session_factory, "violation.waived")) == 2

    worker.drain(max_rounds=5)
    with TestClient(uzb):
        consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
        detail = consul.get(f"/api/v1/exchange/nationals-abroad/KAZ/{document_id}").json()
    assert detail["document"]["valid_until"] == "2020-06-14"
    assert {w["violation_id"] for w in detail["waivers"]} == {overstay, late}
    for waiver in detail["waivers"]:
        assert waiver["status"] == "waived" and waiver["measure_id"] == measure_id
        assert waiver["measure"].startswith(REFERENCE) and waiver["reason"] is None
    with uzb.state.session_factory() as session:
        (message,) = session.scalars(
            select(ExchangeMessage).where(ExchangeMessage.type == "violation.waived")
        )
        assert {w["envelope_id"] for w in detail["waivers"]} == {str(message.id)}


def test_an_officer_waives_one_violation_and_the_home_state_sees_why(
    officer_client: TestClient,
    client_as: ClientFactory,
    app: FastAPI,
    uzb: FastAPI,
    worker: Worker,
) -> None:
    uzbek = _person(officer_client, "UZB", "FA1234567")
    document_id = _document(officer_client, uzbek, "WK12345678")
    violation_id = _violation(officer_client, uzbek, "overstay", "2026-02-01", "2026-02-10")
    kept_id = _violation(officer_client, uzbek, "missing_registration", "2026-03-01", None)
    chinese = _person(officer_client, "CHN", "E12345678")
    chinese_violation = _violation(officer_client, chinese, "overstay", "2026-02-01", None)

    reason = {"reason": "hospitalised, certificate 2026/44"}
    consul = client_as(Role.CONSULAR_OFFICER, "UZB")
    assert consul.post(f"/api/v1/violations/{violation_id}/waive", json=reason).status_code == 403
    waived = officer_client.post(f"/api/v1/violations/{violation_id}/waive", json=reason)
    assert waived.status_code == 200, waived.text
    assert waived.json()["status"] == "waived" and reason["reason"] in waived.json()["notes"]
    again = officer_client.post(f"/api/v1/violations/{violation_id}/waive", json=reason)
    assert again.status_code == 409
    missing = officer_client.post(f"/api/v1/violations/{uuid.uuid4()}/waive", json=reason)
    assert missing.status_code == 404
    chinese_waived = officer_client.post(
        f"/api/v1/violations/{chinese_violation}/waive", json=reason
    )
    assert chinese_waived.status_code == 200
    (message,) = _outbox(app.state.session_factory, "violation.waived")
    assert (str(message.subject_id), message.to_state) == (uzbek, "UZB")
    assert message.body["reason"] == reason["reason"] and message.body["measure_id"] is None
    assert _waivers_by_person(app.state.session_factory) == {(uzbek, "UZB"): {violation_id}}
    _rendered_bodies_pass_their_schema(app.state.session_factory)
    audited = _audited(app, "violation.waive")
    assert [e.outcome for e in audited].count("not_found") == 1  # the unknown violation
    entries = {e.record_id: e for e in audited if e.outcome == "ok"}
    assert set(entries) == {violation_id, chinese_violation}
    entry = entries[violation_id]
    assert entry.details["old_status"] == "recorded" and entry.details["reason"] == reason["reason"]

    worker.drain(max_rounds=5)
    with TestClient(uzb):
        uzb_consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
        detail = uzb_consul.get(f"/api/v1/exchange/nationals-abroad/KAZ/{document_id}").json()
    (waiver,) = detail["waivers"]
    assert waiver["violation_id"] == violation_id != kept_id
    assert waiver["reason"] == reason["reason"] and waiver["measure_id"] is None
    assert (waiver["kind"], waiver["period_end"]) == ("overstay", "2026-02-10")


def test_after_a_nationality_correction_the_next_envelope_goes_to_the_new_state_only(
    officer_client: TestClient, app: FastAPI
) -> None:
    """The violation, document and benefit rows keep copies of the person's nationality; a
    correction changes them all, so a waiver recorded before it is reported to the new state."""
    person = _person(officer_client, "UZB", "FA1234567")
    _document(officer_client, person, "WK12345678")
    violation_id = _violation(officer_client, person, "overstay", "2026-02-01", "2026-02-10")
    corrected = officer_client.patch(
        f"/api/v1/persons/{person}",
        json={"nationality": "TUR", "reason": "the passport was misread"},
    )
    assert corrected.status_code == 200, corrected.text
    waived = officer_client.post(
        f"/api/v1/violations/{violation_id}/waive", json={"reason": "hospitalised, 2026/44"}
    )
    assert waived.status_code == 200, waived.text
    assert _waivers_by_person(app.state.session_factory) == {(person, "TUR"): {violation_id}}
    with app.state.session_factory() as session:
        copies = {
            *session.scalars(
                select(Violation.nationality).where(Violation.person_id == uuid.UUID(person))
            ),
            *session.scalars(
                select(StayDocument.nationality).where(StayDocument.person_id == uuid.UUID(person))
            ),
        }
    assert copies == {"TUR"}
