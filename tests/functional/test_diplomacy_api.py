"""A UZB consul accredited in KAZ asks TUR for Istanbul's transit hall: the request crosses as
an envelope, TUR's airport authority grants it, the pass comes back to UZB, TUR's verifier
checks it, a revocation reaches both. UZB runs on each test database, TUR on a SQLite file."""

from __future__ import annotations

import json
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kervan.accounts.models import AuditEntry, User
from kervan.accounts.roles import Role
from kervan.exchange import compact
from kervan.exchange.models import OutboxMessage
from kervan.exchange.worker import Worker
from kervan.uow import unit_of_work
from tests.functional.diplomacy_support import accreditation_body, assign, request_body
from tests.functional.exchange_support import Loopback, token_client
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module
from tests.functional.two_nodes import two_node_fixtures, worker

fed, settings, uzb, tur, line = two_node_fixtures("TUR")


def workers(uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback) -> tuple[Worker, Worker]:
    return worker(uzb, fed, line, "UZB"), worker(tur, fed, line, "TUR")


def _granted_pass(uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback) -> dict:
    from_uzb, from_tur = workers(uzb, tur, fed, line)
    uzb_officer = token_client(uzb, Role.MIGRATION_OFFICER, "UZB")
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
    added = uzb_officer.post("/api/v1/accreditations", json=accreditation_body())
    assert added.status_code == 201, added.text
    assert added.json()["accredited_in"] == "KAZ"
    asked = consul.post("/api/v1/airport-access", json=request_body(added.json()["id"]))
    assert asked.status_code == 201, asked.text
    request_id = asked.json()["id"]
    assert from_uzb.drain(max_rounds=5).delivered == 1
    authority = token_client(tur, Role.BORDER_OFFICER, "TUR", username="authority.ist")
    assign(tur, "authority.ist", "IST")
    seen = authority.get("/api/v1/airport-access").json()
    assert [r["id"] for r in seen] == [request_id]
    assert seen[0]["status"] == "requested" and seen[0]["origin_node"] == "UZB"
    granted = authority.post(
        f"/api/v1/airport-access/{request_id}/grant", json={"conditions": "escorted by staff"}
    )
    assert granted.status_code == 200, granted.text
    assert from_tur.drain(max_rounds=5).delivered == 1
    at_uzb = consul.get(f"/api/v1/airport-access/{request_id}").json()
    assert at_uzb["status"] == "granted" and at_uzb["conditions"] == "escorted by staff"
    assert at_uzb["passes"][0]["text"] == granted.json()["passes"][0]["text"]
    return {
        "consul": consul,
        "authority": authority,
        "request_id": request_id,
        "pass": at_uzb["passes"][0],
        "workers": (from_uzb, from_tur),
    }


def test_request_crosses_to_tur_is_granted_and_the_pass_comes_back(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    flow = _granted_pass(uzb, tur, fed, line)
    issued = flow["pass"]
    png = flow["consul"].get(f"/api/v1/passes/{issued['id']}/qr.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    pdf = flow["consul"].get(f"/api/v1/passes/{issued['id']}/pass.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    checked = (
        flow["authority"]
        .post(
            "/api/v1/passes/verify",
            json={"text": issued["text"], "airport": "IST", "zone": "transit"},
        )
        .json()
    )
    assert checked["valid"] is True, checked
    assert checked["holder_native"] == "Алимов Бобур Рустамович"
    assert checked["holder_mrz"] == "ALIMOV<<BOBUR<RUSTAMOVICH"
    wrong = (
        flow["authority"]
        .post("/api/v1/passes/verify", json={"text": issued["text"], "airport": "SAW"})
        .json()
    )
    assert (wrong["valid"], wrong["reason"]) == (False, "wrong-airport")
    with tur.state.session_factory() as session:
        verified = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "pass.verified")
        ).all()
    assert [(e.outcome, e.record_id) for e in verified] == [
        ("ok", issued["id"]),
        ("refused", issued["id"]),
    ]


def test_revocation_is_signed_for_verifiers_and_reaches_the_mission(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    flow = _granted_pass(uzb, tur, fed, line)
    issued = flow["pass"]
    revoked = flow["authority"].post(
        f"/api/v1/passes/{issued['id']}/revocation", json={"reason": "flight cancelled"}
    )
    assert revoked.status_code == 200, revoked.text
    checked = flow["authority"].post("/api/v1/passes/verify", json={"text": issued["text"]})
    assert checked.json()["reason"] == "revoked"
    public = TestClient(tur)
    listed = compact.parse(public.get("/api/v1/passes/revocations").text)
    tur_key = fed[1]["TUR"]
    assert listed.header["kid"] == tur_key.kid
    assert listed.verifies_with(tur_key.private_key.public_key())
    assert json.loads(listed.payload)["revoked"] == [issued["id"]]
    keys = public.get("/api/v1/passes/signer-keys").json()["keys"]
    assert {k["state"] for k in keys} == {"KAZ", "UZB", "TUR"}  # never the secretariat's
    assert flow["workers"][1].drain(max_rounds=5).delivered == 1
    at_uzb = flow["consul"].get(f"/api/v1/airport-access/{flow['request_id']}").json()
    assert at_uzb["status"] == "revoked" and at_uzb["passes"][0]["revoked_at"]


def test_withdrawing_the_accreditation_revokes_its_passes(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    flow = _granted_pass(uzb, tur, fed, line)
    tur_officer = token_client(tur, Role.MIGRATION_OFFICER, "TUR")
    listed = tur_officer.get("/api/v1/accreditations").json()
    assert [(a["card_number"], a["source"]) for a in listed] == [("KZ-DC-004512", "home-state")]
    withdrawn = tur_officer.post(
        f"/api/v1/accreditations/{listed[0]['id']}/withdrawal", json={"reason": "recalled home"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    checked = flow["authority"].post("/api/v1/passes/verify", json={"text": flow["pass"]["text"]})
    assert checked.json()["reason"] == "revoked"
    with tur.state.session_factory() as session:
        sent = session.scalars(select(OutboxMessage.type).where(OutboxMessage.to_state == "UZB"))
        assert "airport_access.revoked" in list(sent)


def test_refusal_carries_its_reason_back(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    from_uzb, from_tur = workers(uzb, tur, fed, line)
    officer = token_client(uzb, Role.MIGRATION_OFFICER, "UZB")
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
    added = officer.post("/api/v1/accreditations", json=accreditation_body()).json()
    request_id = consul.post("/api/v1/airport-access", json=request_body(added["id"])).json()["id"]
    from_uzb.drain(max_rounds=5)
    authority = token_client(tur, Role.BORDER_OFFICER, "TUR", username="authority.ist")
    assign(tur, "authority.ist", "IST")
    short = authority.post(f"/api/v1/airport-access/{request_id}/refusal", json={"reason": ""})
    assert short.status_code == 422
    refused = authority.post(
        f"/api/v1/airport-access/{request_id}/refusal", json={"reason": "hall closed for works"}
    )
    assert refused.status_code == 200, refused.text
    again = authority.post(f"/api/v1/airport-access/{request_id}/grant", json={})
    assert again.status_code == 409
    from_tur.drain(max_rounds=5)
    at_uzb = consul.get(f"/api/v1/airport-access/{request_id}").json()
    assert (at_uzb["status"], at_uzb["refusal_reason"]) == ("refused", "hall closed for works")


def test_scopes_missions_see_their_own_and_authorities_their_airports(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    flow = _granted_pass(uzb, tur, fed, line)
    other_mission = token_client(uzb, Role.CONSULAR_OFFICER, "KAZ")
    assert other_mission.get("/api/v1/airport-access").json() == []
    missing = other_mission.get(f"/api/v1/airport-access/{flow['request_id']}")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    other_airport = token_client(tur, Role.BORDER_OFFICER, "TUR", username="authority.saw")
    assign(tur, "authority.saw", "SAW")
    assert other_airport.get("/api/v1/airport-access").json() == []
    denied = other_airport.post(f"/api/v1/airport-access/{flow['request_id']}/grant", json={})
    assert denied.status_code == 404
    consul = flow["consul"]
    assert consul.post("/api/v1/passes/verify", json={"text": "x"}).status_code == 403
    with tur.state.session_factory() as session:
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"pass.issued", "airport_access.read", "airport_access.list"} <= actions


def test_hostile_input_gets_problems_not_errors(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    authority = token_client(tur, Role.BORDER_OFFICER, "TUR", username="authority.ist")
    too_long = authority.post("/api/v1/passes/verify", json={"text": "KVP1:" + "A" * 5000})
    assert too_long.status_code == 422
    garbage = authority.post("/api/v1/passes/verify", json={"text": "KVP1:%%%%"}).json()
    assert (garbage["valid"], garbage["reason"]) == (False, "malformed")
    nested = authority.post("/api/v1/passes/verify", json={"text": [[[["deep"]]]]})
    assert nested.status_code == 422
    scan = {
        "id": str(uuid.uuid4()),
        "device_id": "d1",
        "scanned_at": "2026-12-03T10:00:00Z",
        "verdict": "valid",
    }
    flood = authority.post("/api/v1/passes/scans", json={"scans": [scan] * 501})
    assert flood.status_code == 422
    sent = authority.post("/api/v1/passes/scans", json={"scans": [scan, scan]})
    assert sent.json() == {"received": 2, "new": 1}
    again = authority.post("/api/v1/passes/scans", json={"scans": [scan]})
    assert again.json() == {"received": 1, "new": 0}
    officer = token_client(uzb, Role.MIGRATION_OFFICER, "UZB")
    csv = (
        "home_state,card_number,primary_identifier,secondary_identifier,mission,function,"
        "valid_from,valid_until\n"
    )
    csv += "UZB,C-1,ALIMOV,BOBUR,Consulate,consul,2026-01-01,2027-01-01\n"
    csv += "UZB,bad card!,ALIMOV,BOBUR,Consulate,consul,2026-01-01,2027-01-01\n"
    csv += "UZB,C-3,ALIMOV,BOBUR,Consulate,consul,2027-01-01,2026-01-01\n"
    bad = officer.post("/api/v1/accreditations/import", files={"file": ("a.csv", csv)})
    assert bad.status_code == 422
    assert "row 3: card_number" in bad.json()["detail"] and "row 4:" in bad.json()["detail"]
    assert officer.get("/api/v1/accreditations").json() == []  # all rows or none
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
    window = consul.post(
        "/api/v1/airport-access", json=request_body(str(uuid.uuid4()), airport="LHR")
    )
    assert window.status_code in (404, 422)


def test_a_signed_list_from_the_home_state_is_accepted_only_with_its_signature(
    uzb: FastAPI, tur: FastAPI, fed: tuple
) -> None:
    from kervan.diplomacy.accreditations import sign_list

    staff = [{k: v for k, v in accreditation_body().items() if k != "accredited_in"}]
    signed = sign_list(fed[1]["UZB"], "TUR", staff)
    officer = token_client(tur, Role.MIGRATION_OFFICER, "TUR")
    accepted = officer.post("/api/v1/accreditations/import", files={"file": ("l.jws", signed)})
    assert accepted.json() == {"imported": 1}, accepted.text
    forged = sign_list(fed[1]["KAZ"], "TUR", staff)  # KAZ may not list UZB's staff
    refused = officer.post("/api/v1/accreditations/import", files={"file": ("l.jws", forged)})
    assert refused.status_code == 422
    header, payload, signature = signed.split(".")
    tampered = f"{header}.{compact.b64url(payload.encode())}.{signature}"
    broken = officer.post("/api/v1/accreditations/import", files={"file": ("l.jws", tampered)})
    assert broken.status_code == 422


def _offline_verdict(tur: FastAPI, fed: tuple, text: str) -> tuple[bool, str]:
    """What TUR's offline verifier shows after a sync: the revocation list it downloads (signed
    by TUR's key, checked before use), the council's keys, the one verification rule."""
    import datetime as dt

    from kervan.db.base import utcnow
    from kervan.diplomacy.verification import Post, verify_pass
    from kervan.diplomacy.verifier import signer_lookup
    from kervan.exchange import trust_store

    listed = compact.parse(TestClient(tur).get("/api/v1/passes/revocations").text)
    assert listed.verifies_with(fed[1]["TUR"].private_key.public_key())
    revoked = {uuid.UUID(i) for i in json.loads(listed.payload)["revoked"]}
    with tur.state.session_factory() as session:
        signer = signer_lookup(trust_store.require_current(session))
    verdict = verify_pass(
        text,
        signer=signer,
        revoked=revoked,
        now=utcnow() + dt.timedelta(minutes=1),
        post=Post("IST", "transit"),
    )
    return verdict.ok, verdict.reason.value


def test_the_home_states_withdrawal_on_its_node_stops_the_pass_at_the_airport_node(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    flow = _granted_pass(uzb, tur, fed, line)
    from_uzb, from_tur = flow["workers"]
    assert _offline_verdict(tur, fed, flow["pass"]["text"]) == (True, "valid")
    uzb_officer = token_client(uzb, Role.MIGRATION_OFFICER, "UZB", username="registrar.uzb")
    held = uzb_officer.get("/api/v1/accreditations").json()[0]
    withdrawn = uzb_officer.post(
        f"/api/v1/accreditations/{held['id']}/withdrawal", json={"reason": "recalled to Tashkent"}
    )
    assert withdrawn.status_code == 200, withdrawn.text
    # UZB's node holds no pass of its own on it: it tells the airport state, signed.
    assert from_uzb.drain(max_rounds=5).delivered == 1
    tur_officer = token_client(tur, Role.MIGRATION_OFFICER, "TUR")
    at_tur = tur_officer.get("/api/v1/accreditations").json()
    assert at_tur[0]["withdrawal_reason"] == "recalled to Tashkent" and at_tur[0]["withdrawn_at"]
    assert _offline_verdict(tur, fed, flow["pass"]["text"]) == (False, "revoked")
    checked = flow["authority"].post("/api/v1/passes/verify", json={"text": flow["pass"]["text"]})
    assert checked.json()["reason"] == "revoked"
    with tur.state.session_factory() as session:
        audited = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "pass.revoked")
        ).all()
    assert [(e.record_id, e.username) for e in audited] == [(flow["pass"]["id"], "UZB node")]
    assert from_tur.drain(max_rounds=5).delivered == 1  # the mission learns it too
    at_uzb = flow["consul"].get(f"/api/v1/airport-access/{flow['request_id']}").json()
    assert at_uzb["status"] == "revoked" and at_uzb["passes"][0]["revoked_at"]


def test_a_signed_list_that_ends_an_accreditation_sooner_revokes_the_passes_outliving_it(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    from kervan.db.base import utcnow
    from kervan.diplomacy.accreditations import sign_list

    flow = _granted_pass(uzb, tur, fed, line)
    today = utcnow().date().isoformat()  # the pass runs two more days
    staff = [
        {k: v for k, v in accreditation_body(valid_until=today).items() if k != "accredited_in"}
    ]
    tur_officer = token_client(tur, Role.MIGRATION_OFFICER, "TUR")
    forged = sign_list(fed[1]["KAZ"], "KAZ", staff)
    refused = tur_officer.post("/api/v1/accreditations/import", files={"file": ("l.jws", forged)})
    assert refused.status_code == 422
    assert _offline_verdict(tur, fed, flow["pass"]["text"]) == (True, "valid")
    signed = sign_list(fed[1]["UZB"], "KAZ", staff)
    taken = tur_officer.post("/api/v1/accreditations/import", files={"file": ("l.jws", signed)})
    assert taken.json() == {"imported": 1}, taken.text
    assert _offline_verdict(tur, fed, flow["pass"]["text"]) == (False, "revoked")
    with tur.state.session_factory() as session:
        sent = session.scalars(select(OutboxMessage).where(OutboxMessage.to_state == "UZB"))
        revoked = [m.body for m in sent if m.type == "airport_access.revoked"]
    assert [b["reason"] for b in revoked] == [f"the accreditation ends on {today}"]
    again = tur_officer.post("/api/v1/accreditations/import", files={"file": ("l.jws", signed)})
    assert again.json() == {"imported": 1}  # nothing left to revoke: no second message
    with tur.state.session_factory() as session:
        count = session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.type == "airport_access.revoked")
        ).all()
    assert len(count) == 1


def test_a_request_nobody_decides_by_the_deadline_is_refused_by_the_worker(
    uzb: FastAPI, tur: FastAPI, fed: tuple, line: Loopback
) -> None:
    import datetime as dt

    from kervan.db.base import utcnow
    from kervan.diplomacy.jobs import DecisionDeadline

    from_uzb, from_tur = workers(uzb, tur, fed, line)
    assert "diplomacy.decision_deadline" in dict(tur.state.wiring.jobs)
    officer = token_client(uzb, Role.MIGRATION_OFFICER, "UZB")
    consul = token_client(uzb, Role.CONSULAR_OFFICER, "UZB")
    added = officer.post("/api/v1/accreditations", json=accreditation_body()).json()
    request_id = consul.post("/api/v1/airport-access", json=request_body(added["id"])).json()["id"]
    from_uzb.drain(max_rounds=5)
    hours = tur.state.settings.diplomacy_decision_hours
    early = DecisionDeadline("TUR", clock=lambda: utcnow() + dt.timedelta(hours=hours - 1), every=0)
    assert early(tur.state.session_factory) is False

    def after_deadline() -> dt.datetime:
        return utcnow() + dt.timedelta(hours=hours, minutes=1)

    # UZB's copy of the request is not UZB's to refuse: the airport's state decides.
    assert DecisionDeadline("UZB", clock=after_deadline)(uzb.state.session_factory) is False
    late = DecisionDeadline("TUR", clock=after_deadline)
    assert late(tur.state.session_factory) is True
    assert late(tur.state.session_factory) is False  # waits before looking again
    authority = token_client(tur, Role.BORDER_OFFICER, "TUR", username="authority.ist")
    assign(tur, "authority.ist", "IST")
    at_tur = authority.get(f"/api/v1/airport-access/{request_id}").json()
    assert (at_tur["status"], at_tur["refusal_code"]) == (
        "refused",
        "airport_access.deadline-passed",
    )
    assert authority.post(f"/api/v1/airport-access/{request_id}/grant", json={}).status_code == 409
    with tur.state.session_factory() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "airport_access.refused")
        ).one()
    assert (entry.username, entry.record_id) == ("decision deadline", request_id)
    assert from_tur.drain(max_rounds=5).delivered == 1
    at_uzb = consul.get(f"/api/v1/airport-access/{request_id}").json()
    assert (at_uzb["status"], at_uzb["refusal_code"]) == (
        "refused",
        "airport_access.deadline-passed",
    )
    with unit_of_work(uzb.state.session_factory) as session:  # the consul reads Russian
        session.execute(update(User).where(User.role == "consular_officer").values(locale="ru"))
    page = consul.get("/airport-access")
    assert 'data-refusal="airport_access.deadline-passed"' in page.text, page.text[:300]
    assert "Отказано автоматически: решение не было принято до истечения срока" in page.text
