"""At the host state's gate: the exit check's note for a passenger of an agreed leg, and
boarding by the passport's MRZ, which records the departure, closes the stay and tells the
home state (``repatriation.boarded``)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal, system_principal
from kervan.border.schemas import ExitNote, MeasureCitation
from kervan.db.base import utcnow
from kervan.errors import NotFound
from kervan.identity.mrz import MRZError, parse_mrz
from kervan.identity.problems import invalid_mrz
from kervan.registry.enums import StayStatus
from kervan.registry.models import Person, StayDocument, TravelDocument
from kervan.repatriation import envelopes
from kervan.repatriation import messages as m
from kervan.repatriation.models import Leg, LegStatus, ManifestEntry
from kervan.repatriation.requests import get_leg
from kervan.repatriation.schemas import BoardingResult

# A passenger is shown at the exit check from the day before their leg to two days after it.
NOTE_WINDOW = (dt.timedelta(days=-1), dt.timedelta(days=2))


def exit_note(
    session: Session,
    person: Person,
    passport: TravelDocument,
    today: dt.date,
    waiver: MeasureCitation | None,
) -> list[ExitNote]:
    """The border's exit check asks (``kervan.border.exit_notes``): is this passport on the
    manifest of an agreed leg leaving soon?"""
    rows = session.execute(
        select(ManifestEntry, Leg)
        .join(Leg, Leg.id == ManifestEntry.leg_id)
        .where(
            ManifestEntry.passport_state == passport.issuing_state,
            ManifestEntry.passport_number == passport.number,
            Leg.status == LegStatus.AGREED,
        )
    ).all()
    notes = []
    for entry, leg in rows:
        day = leg.departs_at.date()
        if not (today + NOTE_WINDOW[0] <= day <= today + NOTE_WINDOW[1]):
            continue
        params: dict[str, str | int] = {
            "leg": leg.label,
            "destination": leg.destination_name,
            "departs": f"{leg.departs_at:%Y-%m-%d %H:%M} UTC",
            "home_state": leg.home_state,
            "reference": entry.request_reference,
        }
        code = m.EXIT_AGREED_LEG
        if waiver is not None:
            code = m.EXIT_AGREED_LEG_WAIVED
            params |= {"measure": waiver.title, "legal_basis": waiver.legal_basis}
        notes.append(
            ExitNote(code=code, params=params, message=m.MESSAGES[code] % params, measure=waiver)
        )
    return notes


def board(
    session: Session,
    principal: Principal,
    leg_id: uuid.UUID,
    mrz_lines: list[str],
    *,
    today: dt.date,
) -> BoardingResult:
    require(principal, Permission.BOARDING_RECORD)
    leg = get_leg(session, leg_id, principal.state)
    if leg.host_state != principal.state or leg.status is not LegStatus.AGREED:
        raise NotFound(
            "no agreed leg leaves here", code=m.LEG_NOT_FOUND, params={"leg": str(leg_id)}
        )
    try:
        mrz = parse_mrz(mrz_lines, today=today)
    except MRZError as exc:
        raise invalid_mrz(exc) from exc
    entry = session.scalar(
        select(ManifestEntry).where(
            ManifestEntry.leg_id == leg.id,
            ManifestEntry.passport_state == mrz.issuing_state,
            ManifestEntry.passport_number == mrz.document_number,
        )
    )
    if entry is None:
        audit.record_on_failure(
            session, principal, "repatriation.board", outcome="not_on_manifest",
            record_type="return_leg", record_id=leg.id,
            details={"passport": f"{mrz.issuing_state} {mrz.document_number}"},
        )  # fmt: skip
        raise NotFound("not on the manifest", code=m.NOT_ON_MANIFEST, params={"leg": leg.label})
    already = entry.boarded_at is not None
    closed = 0
    if not already:
        entry.boarded_at, entry.boarded_by = utcnow(), principal.actor
        closed = _close_stays(session, principal, leg, mrz.issuing_state, mrz.document_number)
        envelopes.send_boarded(session, leg, [(entry.traveller_id, entry.boarded_at)])
    audit.record(
        session, principal, "repatriation.board", record_type="return_manifest_entry",
        record_id=entry.id, details={"leg_id": str(leg.id), "stays_closed": closed},
    )  # fmt: skip
    assert entry.boarded_at is not None
    return BoardingResult(
        traveller_id=entry.traveller_id,
        primary_identifier=entry.primary_identifier,
        secondary_identifier=entry.secondary_identifier,
        boarded_at=entry.boarded_at,
        stays_closed=closed,
        already_boarded=already,
    )


def _close_stays(session: Session, principal: Principal, leg: Leg, state: str, number: str) -> int:
    """The departure closes the person's active stay documents in the register (a cancellation
    with the leg as its reason, in the document's history). The border officer holds no
    register-write permission: the node records it, naming the officer."""
    from kervan.registry.service import cancel_document

    documents = session.scalars(
        select(StayDocument.id)
        .join(TravelDocument, TravelDocument.person_id == StayDocument.person_id)
        .where(
            TravelDocument.issuing_state == state,
            TravelDocument.number == number,
            StayDocument.status == StayStatus.ACTIVE,
        )
    ).all()
    node = system_principal(principal.state, f"{principal.actor} (boarding)")
    for document_id in documents:
        cancel_document(
            session, node, document_id, f"departed on {leg.label} {leg.departs_at:%Y-%m-%d}"
        )
    return len(documents)
