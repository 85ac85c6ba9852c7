"""``repatriation.*`` envelopes (``kervan.repatriation.envelopes``): they travel only between
a leg's home and host states, what the sender writes is what the receiver rebuilds, and what a
received envelope may change is bounded — a leg announced once, decided once, a manifest that
never un-boards anyone, boarding scans only for the leg's own travellers."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.exchange.envelopes import Envelope
from kervan.exchange.models import OutboxMessage
from kervan.registry.codes import MEMBER_STATES, SECRETARIAT
from kervan.repatriation import envelopes
from kervan.repatriation.models import Leg, LegStatus, ManifestEntry, RequestStatus
from tests.unit.repatriation.support import add_leg, add_request

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def _received(type_name: str, body: dict[str, Any], from_state: str = "KAZ") -> Envelope:
    return Envelope(
        id=uuid.uuid4(),
        type=type_name,
        schema=1,
        from_state=from_state,
        to_state="UZB" if from_state == "KAZ" else "KAZ",
        created_at=NOW,
        subject_type="return_leg",
        subject_id=str(body.get("leg_id", "")),
        body=body,
        kid="test",
        compact="",
        sha256="",
    )


def _sent(session: Session, type_name: str) -> dict[str, Any]:
    session.flush()
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.type == type_name).order_by(OutboxMessage.id)
    ).all()[-1]
    return dict(message.body)


def _about(leg: Leg) -> dict[str, Any]:
    return {"leg_id": str(leg.id), "home_state": leg.home_state, "host_state": leg.host_state}


states = st.sampled_from([*MEMBER_STATES, SECRETARIAT])


@given(home=states, host=states, sender=states, receiver=states)
def test_a_leg_travels_only_from_home_to_host_and_back(
    home: str, host: str, sender: str, receiver: str
) -> None:
    payload = {"from": sender, "body": {"home_state": home, "host_state": host}}
    announced = {"from": sender, "body": {"leg": {"home_state": home, "host_state": host}}}
    to_host = envelopes.to_host_state(payload, receiver)
    assert to_host == envelopes.to_host_state(announced, receiver)
    to_home = envelopes.to_home_state(payload, receiver)
    between_members = SECRETARIAT not in (sender, receiver)
    assert (to_host is None) == (between_members and (sender, receiver) == (home, host))
    assert (to_home is None) == (between_members and (sender, receiver) == (host, home))


def test_an_announced_leg_is_rebuilt_as_sent_and_only_once(session: Session) -> None:
    leg = add_leg(session, seats=9, held=2)
    envelopes.send_leg_announced(session, leg)
    body = _sent(session, envelopes.LEG_ANNOUNCED)
    sent = {c: getattr(leg, c) for c in ("id", "number", "seats", "held_seats", "departs_at")}
    session.execute(delete(Leg).where(Leg.id == leg.id))
    session.expunge_all()
    envelopes.apply_leg_announced(session, _received(envelopes.LEG_ANNOUNCED, body, "UZB"), NOW)
    rebuilt = session.get_one(Leg, sent["id"])
    assert rebuilt.status is LegStatus.ANNOUNCED and rebuilt.created_by == "UZB node"
    assert (rebuilt.number, rebuilt.seats, rebuilt.held_seats) == (
        sent["number"],
        sent["seats"],
        sent["held_seats"],
    )
    assert rebuilt.departs_at.replace(tzinfo=None) == sent["departs_at"].replace(tzinfo=None)
    # The same announcement again (or altered) changes nothing.
    body["leg"]["seats"] = 1
    envelopes.apply_leg_announced(session, _received(envelopes.LEG_ANNOUNCED, body, "UZB"), NOW)
    assert session.get_one(Leg, sent["id"]).seats == 9


def test_a_leg_is_decided_once_and_only_by_its_own_pair(session: Session) -> None:
    leg = add_leg(session, status=LegStatus.ANNOUNCED)
    other_pair = {**_about(leg), "home_state": "TUR"}
    refusal = {"agreed": False, "reason": "runway", "decided_at": "2026-12-03T10:00:00Z"}
    envelopes.apply_leg_confirmed(
        session, _received(envelopes.LEG_CONFIRMED, {**other_pair, **refusal}), NOW
    )
    assert leg.status is LegStatus.ANNOUNCED
    agreed = {"agreed": True, "reason": "", "decided_at": "2026-12-03T09:00:00Z"}
    envelopes.apply_leg_confirmed(
        session, _received(envelopes.LEG_CONFIRMED, {**_about(leg), **agreed}), NOW
    )
    assert leg.status is LegStatus.AGREED and leg.refusal_reason is None
    envelopes.apply_leg_confirmed(
        session, _received(envelopes.LEG_CONFIRMED, {**_about(leg), **refusal}), NOW
    )
    assert leg.status is LegStatus.AGREED


def test_a_refusal_carries_its_reason_to_the_home_state(session: Session) -> None:
    leg = add_leg(session, status=LegStatus.REFUSED)
    leg.refusal_reason = "no slot"
    envelopes.send_leg_confirmed(session, leg)
    body = _sent(session, envelopes.LEG_CONFIRMED)
    assert body["agreed"] is False and body["reason"] == "no slot"
    leg.status, leg.refusal_reason = LegStatus.ANNOUNCED, None
    envelopes.apply_leg_confirmed(session, _received(envelopes.LEG_CONFIRMED, body), NOW)
    assert (leg.status, leg.refusal_reason) == (LegStatus.REFUSED, "no slot")


def _passenger(traveller_id: uuid.UUID, name: str) -> dict[str, Any]:
    return {
        "traveller_id": str(traveller_id),
        "request_reference": "R-TEST",
        "primary_identifier": name,
        "secondary_identifier": "",
        "birth_date": "1980-01-01",
        "sex": "M",
        "nationality": "UZB",
        "passport_number": "FA7000001",
        "passport_state": "UZB",
    }


def _manifest(session: Session, leg: Leg) -> dict[uuid.UUID, ManifestEntry]:
    rows = session.scalars(select(ManifestEntry).where(ManifestEntry.leg_id == leg.id))
    return {row.traveller_id: row for row in rows}


def test_a_new_manifest_replaces_the_waiting_and_keeps_the_boarded(session: Session) -> None:
    leg = add_leg(session)
    boarded, dropped, kept, added = (uuid.uuid4() for _ in range(4))
    first = [_passenger(t, "FIRST") for t in (boarded, dropped, kept)]
    envelopes.apply_manifest(
        session, _received(envelopes.MANIFEST, {**_about(leg), "passengers": first}, "UZB"), NOW
    )
    _manifest(session, leg)[boarded].boarded_at = NOW
    session.flush()
    second = [_passenger(t, "SECOND") for t in (boarded, kept, added)]
    envelopes.apply_manifest(
        session, _received(envelopes.MANIFEST, {**_about(leg), "passengers": second}, "UZB"), NOW
    )
    session.expire_all()
    now_listed = _manifest(session, leg)
    assert set(now_listed) == {boarded, kept, added}
    assert now_listed[boarded].boarded_at is not None
    assert now_listed[boarded].primary_identifier == "FIRST"
    assert now_listed[kept].primary_identifier == "SECOND"


def test_boarding_scans_touch_only_the_legs_travellers_and_keep_the_first_time(
    session: Session,
) -> None:
    leg, other_leg = add_leg(session), add_leg(session)
    mine = add_request(session, size=2, status=RequestStatus.ALLOCATED, leg=leg)
    theirs = add_request(session, size=1, status=RequestStatus.ALLOCATED, leg=other_leg)
    first, second = mine.travellers
    earlier = utcnow().replace(microsecond=0) - dt.timedelta(hours=1)
    first.boarded_at = earlier
    session.flush()
    scans = [(t.id, NOW) for t in (first, second, theirs.travellers[0])]
    envelopes.send_boarded(session, leg, scans)
    body = _sent(session, envelopes.BOARDED)
    envelopes.apply_boarded(session, _received(envelopes.BOARDED, body), NOW)
    session.flush()
    session.expire_all()
    assert first.boarded_at is not None
    assert first.boarded_at.replace(tzinfo=None) == earlier.replace(tzinfo=None)
    assert second.boarded_at is not None and mine.status is RequestStatus.BOARDED
    assert theirs.travellers[0].boarded_at is None and theirs.status is RequestStatus.ALLOCATED


def test_an_envelope_about_an_unknown_leg_changes_nothing(session: Session) -> None:
    unknown = {"leg_id": str(uuid.uuid4()), "home_state": "UZB", "host_state": "KAZ"}
    envelopes.apply_manifest(
        session,
        _received(envelopes.MANIFEST, {**unknown, "passengers": [_passenger(uuid.uuid4(), "X")]}),
        NOW,
    )
    envelopes.apply_boarded(session, _received(envelopes.BOARDED, {**unknown, "boarded": []}), NOW)
    assert session.scalars(select(ManifestEntry)).all() == []
