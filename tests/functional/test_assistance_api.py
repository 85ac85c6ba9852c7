"""Assistance cases over the API: the workflow and its SLA, the queue, roles and scoping,
audit of every read, and a case referred from KAZ to UZB where both states edit the same
field while the envelopes travel — the conflict is shown to both, nothing overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Role, system_principal
from kervan.config import Settings
from kervan.exchange.worker import Worker
from kervan.registry import service as registry
from kervan.registry.schemas import BirthDate, PersonCreate
from kervan.uow import unit_of_work
from tests.functional.assistance_support import case_body
from tests.functional.exchange_support import (
    Loopback,
    exchange_node,
    federation_fixture,  # noqa: F401 - the fed fixture
    node_settings,
    token_client,
    uzb_fixture,  # noqa: F401 - the uzb fixture
)
from tests.functional.ui_support import make_user, signed_in_client
from tests.unit.exchange.support import ENDPOINTS


@pytest.fixture
def kaz(database_url: str, tmp_path: Path, fed: tuple) -> Iterator[FastAPI]:
    node = exchange_node(node_settings("KAZ", database_url, tmp_path / "keys"), fed[0])
    yield node
    node.state.engine.dispose()


@pytest.fixture
def line(kaz: FastAPI, uzb: FastAPI) -> Iterator[Loopback]:
    with TestClient(kaz) as to_kaz, TestClient(uzb) as to_uzb:
        yield Loopback({ENDPOINTS["KAZ"]: to_kaz, ENDPOINTS["UZB"]: to_uzb})


def worker(node: FastAPI, fed: tuple, line: Loopback) -> Worker:
    settings: Settings = node.state.settings
    key = fed[1][settings.state]
    return Worker(settings, node.state.session_factory, key, line, jitter=lambda: 0.0)


def test_workflow_queue_sla_and_audit(kaz: FastAPI) -> None:
    officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ", username="aigerim")
    made = officer.post("/api/v1/cases", json=case_body(urgency="critical"))
    assert made.status_code == 201, made.text
    case = made.json()
    assert case["status"] == "triaged" and case["reference"].startswith("C-")
    assert case["partner_state"] == "UZB"
    # The SLA of a critical case: 24 hours by default.
    hours = (_time(case["due_at"]) - _time(case["opened_at"])).total_seconds() / 3600
    assert hours == 24
    for target in ("in_progress", "resolved", "closed", "in_progress"):  # the last: reopen
        moved = officer.post(f"/api/v1/cases/{case['id']}/status", json={"status": target})
        assert moved.status_code == 200, moved.text
    wrong = officer.post(f"/api/v1/cases/{case['id']}/status", json={"status": "new"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "assistance.wrong-status"
    assert (
        officer.post(
            f"/api/v1/cases/{case['id']}/assignment",
            json={"assigned_to": "aigerim", "team": "almaty"},
        ).status_code
        == 200
    )
    mine = officer.get("/api/v1/cases", params={"assigned_to": "aigerim"}).json()
    assert [c["reference"] for c in mine["items"]] == [case["reference"]]
    # Pages as every list's (web/pagination.py): keyset cursor, the node's largest page.
    other = officer.post("/api/v1/cases", json=case_body(urgency="low")).json()
    first = officer.get("/api/v1/cases", params={"limit": 1}).json()
    assert [c["id"] for c in first["items"]] == [case["id"]]  # due first
    rest = officer.get("/api/v1/cases", params={"limit": 1, "cursor": first["next_cursor"]})
    assert [c["id"] for c in rest.json()["items"]] == [other["id"]]
    assert rest.json().get("next_cursor") is None
    for bad in ("not-a-cursor", first["next_cursor"][:-4], "W10"):  # "W10": an empty list
        refused = officer.get("/api/v1/cases", params={"cursor": bad})
        assert refused.status_code == 422, bad
        assert refused.json()["code"] == "input.cursor-unknown"
    for need, expected in (("shelter", [case["id"]]), ("wages_or_job", [case["id"]]), ("food", [])):
        listed = officer.get("/api/v1/cases", params={"need": need, "urgency": "critical"})
        assert [c["id"] for c in listed.json()["items"]] == expected, need
    too_many = officer.get("/api/v1/cases", params={"limit": 10_000})
    assert too_many.status_code == 422 and too_many.json()["code"] == "input.page-too-large"
    # Typed as an officer would read it out: lower case, no dashes.
    typed = case["reference"].replace("-", "").lower()
    found = officer.get(f"/api/v1/cases/by-reference/{typed}")
    assert found.status_code == 200 and found.json()["case"]["id"] == case["id"]
    note = officer.post(f"/api/v1/cases/{case['id']}/notes", json={"text": "Called the employer."})
    assert note.status_code == 201
    aid = officer.post(
        f"/api/v1/cases/{case['id']}/aid",
        json={"kind": "cash", "amount": "25000.00", "currency": "KZT"},
    )
    assert aid.status_code == 201, aid.text
    no_currency = officer.post(
        f"/api/v1/cases/{case['id']}/aid", json={"kind": "cash", "amount": "5"}
    )
    assert no_currency.status_code == 422
    with kaz.state.session_factory() as session:
        reads = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "assistance.read")
        ).all()
        assert {r.record_id for r in reads} == {case["id"]}


def test_consular_officer_sees_only_own_nationals_and_analyst_counts_only(kaz: FastAPI) -> None:
    officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ")
    uzbek = officer.post("/api/v1/cases", json=case_body()).json()
    kyrgyz = officer.post("/api/v1/cases", json=case_body(nationality="KGZ")).json()
    consul = token_client(kaz, Role.CONSULAR_OFFICER, "UZB")
    seen = consul.get("/api/v1/cases").json()["items"]
    assert [c["id"] for c in seen] == [uzbek["id"]]
    assert consul.get(f"/api/v1/cases/{kyrgyz['id']}").status_code == 404
    analyst = token_client(kaz, Role.SECRETARIAT_ANALYST, "KAZ")
    assert analyst.get(f"/api/v1/cases/{uzbek['id']}").status_code == 403
    assert analyst.get("/api/v1/cases").status_code == 403
    counts = analyst.get("/api/v1/cases/sla")
    assert counts.status_code == 200 and counts.json()["open"] == 2
    everything = {"start": "2000-01-01", "end": "2100-01-01"}
    by_need = analyst.get("/api/v1/cases/counts", params=everything)
    assert {"need": "shelter", "status": "triaged", "cases": 2} in by_need.json()
    backwards = {"start": "2030-01-02", "end": "2030-01-01"}
    reversed_ = analyst.get("/api/v1/cases/counts", params=backwards)
    assert reversed_.status_code == 422


def test_the_person_page_lists_their_cases_in_scope_and_audited(kaz: FastAPI) -> None:
    sessions = kaz.state.session_factory
    with unit_of_work(sessions) as session:
        person = registry.create_person(
            session,
            system_principal("KAZ"),
            PersonCreate(
                primary_name="Karimov",
                secondary_name="Jasur",
                nationality="UZB",
                birth_date=BirthDate(year=1991),
                sex="M",
            ),
        )
        person_id = str(person.id)
    officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ")
    case = officer.post("/api/v1/cases", json=case_body(person_id=person_id)).json()
    make_user(sessions, "consul.uzb", Role.CONSULAR_OFFICER, "UZB")
    make_user(sessions, "consul.kgz", Role.CONSULAR_OFFICER, "KGZ")
    own = signed_in_client(kaz, "consul.uzb").get(f"/persons/{person_id}/cases")
    assert own.status_code == 200 and case["reference"] in own.text
    other = signed_in_client(kaz, "consul.kgz").get(f"/persons/{person_id}/cases")
    assert case["reference"] not in other.text  # not their national: nothing shown
    with sessions() as session:
        listed = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "assistance.queue", AuditEntry.record_id == person_id
            )
        ).all()
    assert sorted(e.username for e in listed) == ["consul.kgz", "consul.uzb"]


def test_referral_without_consent_is_refused(kaz: FastAPI) -> None:
    officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ")
    case = officer.post("/api/v1/cases", json=case_body(consent=None)).json()
    refused = officer.post(f"/api/v1/cases/{case['id']}/referral")
    assert refused.status_code == 409 and refused.json()["code"] == "assistance.no-consent"


def test_referred_accepted_concurrent_edits_conflict_and_resolve(
    kaz: FastAPI, uzb: FastAPI, fed: tuple, line: Loopback
) -> None:
    from_kaz, from_uzb = worker(kaz, fed, line), worker(uzb, fed, line)
    officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ", username="aigerim")
    case = officer.post("/api/v1/cases", json=case_body()).json()
    officer.post(f"/api/v1/cases/{case['id']}/notes", json={"text": "Before the referral."})
    referred = officer.post(f"/api/v1/cases/{case['id']}/referral", params={"reason": "wages"})
    assert referred.status_code == 200, referred.text
    assert from_kaz.drain(max_rounds=5).delivered == 1
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB", username="consul.tashkent")
    at_uzb = consul.get(f"/api/v1/cases/{case['id']}").json()
    assert at_uzb["case"]["status"] == "new" and at_uzb["case"]["referral"] == "pending"
    assert at_uzb["case"]["reference"] == case["reference"]
    assert [n["text"] for n in at_uzb["notes"]] == ["Before the referral."]
    accepted = consul.post(f"/api/v1/cases/{case['id']}/referral/decision", json={"accept": True})
    assert accepted.status_code == 200 and accepted.json()["status"] == "in_progress"
    # Both change the contact while neither has heard of the other's change.
    kaz_edit = officer.post(
        f"/api/v1/cases/{case['id']}/changes",
        json={"changes": [{"field": "contact", "value": "+7 701 000 00 01", "based_on": []}]},
    )
    uzb_edit = consul.post(
        f"/api/v1/cases/{case['id']}/changes",
        json={"changes": [{"field": "contact", "value": "+998 90 000 00 02", "based_on": []}]},
    )
    assert kaz_edit.status_code == uzb_edit.status_code == 200
    consul.post(f"/api/v1/cases/{case['id']}/aid", json={"kind": "legal"})
    from_uzb.drain(max_rounds=5)
    from_kaz.drain(max_rounds=5)
    for client in (officer, consul):
        seen = client.get(f"/api/v1/cases/{case['id']}").json()
        assert [c["field"] for c in seen["conflicts"]] == ["contact"]
        assert {s["value"] for s in seen["conflicts"][0]["sides"]} == {
            "+7 701 000 00 01",
            "+998 90 000 00 02",
        }
        assert [a["kind"] for a in seen["aid"]] == ["legal"]
        assert seen["case"]["referral"] == "accepted"
    resolved = consul.post(
        f"/api/v1/cases/{case['id']}/conflicts/contact", json={"value": "+998 90 000 00 02"}
    )
    assert resolved.status_code == 200 and resolved.json()["conflicts"] == []
    from_uzb.drain(max_rounds=5)
    at_kaz = officer.get(f"/api/v1/cases/{case['id']}").json()
    assert at_kaz["conflicts"] == [] and at_kaz["case"]["contact"] == "+998 90 000 00 02"
    closed = consul.post(f"/api/v1/cases/{case['id']}/status", json={"status": "resolved"})
    assert closed.status_code == 200
    consul.post(f"/api/v1/cases/{case['id']}/status", json={"status": "closed"})
    from_uzb.drain(max_rounds=5)
    assert officer.get(f"/api/v1/cases/{case['id']}").json()["case"]["partner_closed_at"]


def _time(text: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_aid_totals_for_the_reports(kaz: FastAPI) -> None:
    import datetime as dt
    from decimal import Decimal

    from kervan.assistance.reporting import aid_totals

    officer = token_client(kaz, Role.MIGRATION_OFFICER, "KAZ")
    case = officer.post("/api/v1/cases", json=case_body()).json()
    for amount in ("1000.50", "2000.00"):
        given = {"kind": "cash", "amount": amount, "currency": "KZT"}
        assert officer.post(f"/api/v1/cases/{case['id']}/aid", json=given).status_code == 201
    officer.post(f"/api/v1/cases/{case['id']}/aid", json={"kind": "food", "quantity": 3})
    with kaz.state.session_factory() as session:
        found = aid_totals(
            session, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        )
    by_kind = {(t.kind, t.currency): t for t in found}
    assert (
        by_kind["cash", "KZT"].amount == Decimal("3000.50") and by_kind["cash", "KZT"].records == 2
    )
    assert by_kind["food", None].quantity == 3 and by_kind["food", None].amount is None


def test_counts_to_the_last_day_of_the_calendar(kaz: FastAPI) -> None:
    analyst = token_client(kaz, Role.SECRETARIAT_ANALYST, "KAZ")
    found = analyst.get("/api/v1/cases/counts", params={"start": "0001-01-01", "end": "9999-12-31"})
    assert found.status_code == 200 and found.json() == []
