"""What an accepted envelope changes on the receiving node.

Order per subject is kept by the envelope ids (UUIDv7, increasing in the sender's commit
order): an envelope older than the newest one applied for its subject is logged and receipted
but changes nothing, so a reordered or late retry cannot roll a document back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from kervan.exchange.envelopes import Envelope
from kervan.exchange.models import NationalAbroadDocument, SubjectHead


def _advance_head(session: Session, envelope: Envelope) -> bool:
    """True when ``envelope`` is the newest for its subject (and record it as such)."""
    key = (envelope.from_state, envelope.subject_type, envelope.subject_id)
    head = session.get(SubjectHead, key, with_for_update=True)
    if head is None:
        session.add(
            SubjectHead(
                from_state=envelope.from_state,
                subject_type=envelope.subject_type,
                subject_id=envelope.subject_id,
                envelope_id=envelope.id,
                applied_count=1,
            )
        )
        return True
    head.applied_count += 1
    if envelope.id < head.envelope_id:
        return False
    head.envelope_id = envelope.id
    return True


def _apply_stay(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    person = envelope.body["person"]
    for document in envelope.body["documents"]:
        key = (envelope.from_state, uuid.UUID(document["id"]))
        row = session.get(NationalAbroadDocument, key, with_for_update=True)
        # Per document too: a document can be reported under several subjects (an officer's
        # change and a measure's), and the newest report must win whatever the arrival order.
        if row is not None and row.envelope_id > envelope.id:
            continue
        values = {
            "person_id": uuid.UUID(person["id"]),
            "primary_identifier": person["primary_identifier"],
            "secondary_identifier": person["secondary_identifier"],
            "birth_year": person["birth_year"],
            "travel_document_number": person["travel_document_number"],
            "kind": document["kind"],
            "number": document["number"],
            "valid_from": dt.date.fromisoformat(document["valid_from"]),
            "valid_until": dt.date.fromisoformat(document["valid_until"]),
            "status": document["status"],
            "last_event": envelope.type,
            "envelope_id": envelope.id,
            "updated_at": now,
        }
        if row is None:
            session.add(NationalAbroadDocument(host_state=key[0], document_id=key[1], **values))
        else:
            for name, value in values.items():
                setattr(row, name, value)


def _log_only(session: Session, envelope: Envelope, now: dt.datetime) -> None:
    """The message log is the record (measures announced, waivers, query answers)."""


APPLIERS: dict[str, Callable[[Session, Envelope, dt.datetime], None]] = {
    "stay.issued": _apply_stay,
    "stay.extended": _apply_stay,
    "stay.revoked": _apply_stay,
    "violation.waived": _log_only,
    "measure.announced": _log_only,
    "query.request": _log_only,
    "query.response": _log_only,
}


def apply_envelope(session: Session, envelope: Envelope, now: dt.datetime) -> bool:
    """Apply an accepted envelope; False when a newer one for its subject was applied."""
    if not _advance_head(session, envelope):
        return False
    APPLIERS[envelope.type](session, envelope, now)
    session.flush()
    return True
