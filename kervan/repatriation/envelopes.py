"""``repatriation.*`` envelopes: a leg announced to the host state and its decision back, the
manifest sent to the host state's border service, and the boarding scans sent home. Written
to the outbox in the transaction of the change; applied when they arrive."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kervan.db.base import utcnow
from kervan.exchange import outbox
from kervan.exchange.envelopes import Envelope, iso
from kervan.exchange.trust import parse_time
from kervan.registry.codes import SECRETARIAT
from kervan.repatriation.models import (
    Leg,
    LegMode,
    LegStatus,
    ManifestEntry,
    RequestStatus,
    ReturnRequest,
    Traveller,
)

LEG_ANNOUNCED = "repatriation.leg_announced"
LEG_CONFIRMED = "repatriation.leg_confirmed"
MANIFEST = "repatriation.manifest"
BOARDED = "repatriation.boarded"


def _send(session: Session, type_name: str, to_state: str, leg: Leg, body: dict[str, Any]) -> None:
    outbox.add(session, type_name, to_state, ("return_leg", leg.id), body)


def send_leg_announced(session: Session, leg: Leg) -> None:
    body = {
        "leg": {
            "id": str(leg.id),
            "home_state": leg.home_state,
            "host_state": leg.host_state,
            "mode": leg.mode.value,
            "operator": leg.operator,
            "number": leg.number,
            "origin": leg.origin,
            "origin_name": leg.origin_name,
            "destination": leg.destination,
            "destination_name": leg.destination_name,
            "departs_at": iso(leg.departs_at),
            "arrives_at": iso(leg.arrives_at),
            "seats": leg.seats,
            "held_seats": leg.held_seats,
        }
    }
    _send(session, LEG_ANNOUNCED, leg.host_state, leg, body)


def _about(leg: Leg) -> dict[str, Any]:
    return {"leg_id": str(leg.id), "home_state": leg.home_state, "host_state": leg.host_state}


def send_leg_confirmed(session: Session, leg: Leg) -> None:
    body = {
        **_about(leg),
        "agreed": leg.status is LegStatus.AGREED,
        "reason": leg.refusal_reason or "",
        "decided_at": iso(leg.decided_at or utcnow()),
    }
    _send(session, LEG_CONFIRMED, leg.home_state, leg, body)


def send_manifest(session: Session, leg: Leg, passengers: list[dict[str, Any]]) -> None:
    body = {**_about(leg), "sent_at": iso(utcnow()), "passengers": passengers}
    _send(session, MANIFEST, leg.host_state, leg, body)


def send_boarded(session: Session, leg: Leg, boarded: list[tuple[uuid.UUID, dt.datetime]]) -> None:
    body = {
        **_about(leg),
        "boarded": [{"traveller_id": str(t), "boarded_at": iso(at)} for t, at in boarded],
    }
    _send(session, BOARDED, leg.home_state, leg, body)


# ----------------------------------------------------------------------------------------------
# Who may receive them (checked by the sender's routing and by the receiver).


def _parties(payload: dict[str, Any]) -> tuple[str, str]:
    body = payload["body"]
    about = body.get("leg", body)
    return about["home_state"], about["host_state"]


def to_host_state(payload: dict[str, Any], receiver: str) -> str | None:
    home, host = _parties(payload)
    if SECRETARIAT in (receiver, payload["from"]):
        return "repatriation legs are between member states only"
    if receiver != host or payload["from"] != home:
        return f"a leg of {home} from {host} goes from {home} to {host} only"
    return None


def to_home_state(payload: dict[str, Any], receiver: str) -> str | None:
    home, host = _parties(payload)
    if SECRETARIAT in (receiver, payload["from"]):
        return "repatriation legs are between member states only"
    if receiver != home or payload["from"] != host:
        return f"a leg of {home} from {host} is answered by {host} to {home} only"
    return None


# ----------------------------------------------------------------------------------------------
# Applying what arrived.


def _time(value: str) -> dt.datetime:
    parsed = parse_time(value)
    assert parsed is not None  # the schema checked the format
    return parsed


def apply_leg_announced(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    data = envelope.body["leg"]
    if session.get(Leg, uuid.UUID(data["id"])) is not None:
        return
    session.add(
        Leg(
            id=uuid.UUID(data["id"]),
            home_state=data["home_state"],
            host_state=data["host_state"],
            mode=LegMode(data["mode"]),
            operator=data["operator"],
            number=data["number"],
            origin=data["origin"],
            origin_name=data["origin_name"],
            destination=data["destination"],
            destination_name=data["destination_name"],
            departs_at=_time(data["departs_at"]),
            arrives_at=_time(data["arrives_at"]),
            seats=data["seats"],
            held_seats=data["held_seats"],
            status=LegStatus.ANNOUNCED,
            created_by=f"{envelope.from_state} node",
            created_at=now,
        )
    )
    session.flush()


def _leg_of(session: Session, envelope: Envelope) -> Leg | None:
    leg = session.get(Leg, uuid.UUID(envelope.body["leg_id"]))
    body = envelope.body
    if leg is None or (leg.home_state, leg.host_state) != (body["home_state"], body["host_state"]):
        return None  # unknown or not that pair's: ignored (logged and receipted by the inbox)
    return leg


def apply_leg_confirmed(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    leg = _leg_of(session, envelope)
    if leg is None or leg.status is not LegStatus.ANNOUNCED:
        return
    body = envelope.body
    leg.status = LegStatus.AGREED if body["agreed"] else LegStatus.REFUSED
    leg.refusal_reason = None if body["agreed"] else body["reason"]
    leg.decided_at = _time(body["decided_at"])


def apply_manifest(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    """The newest manifest replaces the passengers not yet boarded; boarded ones stay."""
    leg = _leg_of(session, envelope)
    if leg is None:
        return
    boarded = set(
        session.scalars(
            select(ManifestEntry.traveller_id).where(
                ManifestEntry.leg_id == leg.id, ManifestEntry.boarded_at.is_not(None)
            )
        )
    )
    session.execute(
        delete(ManifestEntry).where(
            ManifestEntry.leg_id == leg.id, ManifestEntry.boarded_at.is_(None)
        )
    )
    for p in envelope.body["passengers"]:
        traveller_id = uuid.UUID(p["traveller_id"])
        if traveller_id in boarded:
            continue
        session.add(
            ManifestEntry(
                leg_id=leg.id,
                traveller_id=traveller_id,
                request_reference=p["request_reference"],
                primary_identifier=p["primary_identifier"],
                secondary_identifier=p["secondary_identifier"],
                birth_date=dt.date.fromisoformat(p["birth_date"]),
                sex=p["sex"],
                nationality=p["nationality"],
                passport_number=p["passport_number"],
                passport_state=p["passport_state"],
            )
        )
    session.flush()


def apply_boarded(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    leg = _leg_of(session, envelope)
    if leg is None:
        return
    when = {uuid.UUID(b["traveller_id"]): _time(b["boarded_at"]) for b in envelope.body["boarded"]}
    travellers = session.scalars(
        select(Traveller)
        .join(ReturnRequest, ReturnRequest.id == Traveller.request_id)
        .where(Traveller.id.in_(list(when)), ReturnRequest.leg_id == leg.id)
    ).all()
    for traveller in travellers:
        traveller.boarded_at = traveller.boarded_at or when[traveller.id]
        traveller.request.status = RequestStatus.BOARDED


def install() -> None:
    """Register the four message types with the exchange (idempotent)."""
    from kervan.exchange import apply
    from kervan.exchange.message_types import MessageType, register

    register(MessageType(LEG_ANNOUNCED, (1,), to_host_state))
    register(MessageType(MANIFEST, (1,), to_host_state))
    register(MessageType(LEG_CONFIRMED, (1,), to_home_state))
    register(MessageType(BOARDED, (1,), to_home_state))
    apply.on_envelope(LEG_ANNOUNCED, apply_leg_announced)
    apply.on_envelope(LEG_CONFIRMED, apply_leg_confirmed)
    apply.on_envelope(MANIFEST, apply_manifest)
    apply.on_envelope(BOARDED, apply_boarded)
