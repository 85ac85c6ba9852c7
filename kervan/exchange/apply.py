"""What accepted envelopes change on the receiving node, a batch at a time in a few statements.

Order is kept by the envelope ids (UUIDv7, increasing in the sender's commit order): for each
document the newest report wins, so an envelope older than one already applied — a reordered
or late retry — is logged and receipted but cannot roll a document back. ``SubjectHead`` keeps
the newest envelope per sender and subject, and how many were accepted for it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.exchange.envelopes import Envelope
from kervan.exchange.models import (
    ForeignMeasure,
    NationalAbroadDocument,
    NationalAbroadWaiver,
    SubjectHead,
)

STAY_TYPES = {"stay.issued", "stay.extended", "stay.revoked"}
WAIVED = "violation.waived"
ANNOUNCED = "measure.announced"
SubjectKey = tuple[str, str, str]
# (issuing or host state, reference or violation id) → the newest envelope and its values.
Newest = dict[tuple[str, Any], tuple[Envelope, dict[str, Any]]]


def apply_batch(session: Session, envelopes: Sequence[Envelope], now: dt.datetime) -> None:
    """Apply envelopes (newly logged, in id order): heads, then the consulate's view."""
    if not envelopes:
        return
    _advance_heads(session, envelopes)
    newest: dict[tuple[str, uuid.UUID], tuple[Envelope, dict[str, Any]]] = {}
    waivers: Newest = {}
    measures: Newest = {}
    for envelope in envelopes:
        if envelope.type in STAY_TYPES:
            for document in envelope.body["documents"]:
                newest[(envelope.from_state, uuid.UUID(document["id"]))] = (envelope, document)
        elif envelope.type == WAIVED:
            for violation in envelope.body["violations"]:
                key = (envelope.from_state, uuid.UUID(violation["id"]))
                waivers[key] = (envelope, _waiver_values(envelope, violation, now))
        elif envelope.type == ANNOUNCED:
            measure = envelope.body["measure"]
            key = (measure["issuing_state"], measure["reference"])
            measures[key] = (envelope, _measure_values(envelope, measure, now))
    _upsert_documents(session, newest, now)
    _upsert_newest(session, NationalAbroadWaiver, ("host_state", "violation_id"), waivers)
    _upsert_newest(session, ForeignMeasure, ("issuing_state", "reference"), measures, now)
    session.flush()


def _advance_heads(session: Session, envelopes: Sequence[Envelope]) -> None:
    counts: dict[SubjectKey, int] = {}
    last: dict[SubjectKey, uuid.UUID] = {}
    for envelope in envelopes:
        key = (envelope.from_state, envelope.subject_type, envelope.subject_id)
        counts[key] = counts.get(key, 0) + 1
        last[key] = max(envelope.id, last.get(key, envelope.id))
    existing = {
        (h.from_state, h.subject_type, h.subject_id): h
        for h in session.scalars(
            select(SubjectHead)
            .where(
                SubjectHead.from_state.in_({k[0] for k in counts}),
                SubjectHead.subject_id.in_({k[2] for k in counts}),
            )
            .with_for_update()
        )
    }
    for key, count in counts.items():
        head = existing.get(key)
        if head is None:
            session.add(
                SubjectHead(
                    from_state=key[0],
                    subject_type=key[1],
                    subject_id=key[2],
                    envelope_id=last[key],
                    applied_count=count,
                )
            )
        else:
            head.applied_count += count
            head.envelope_id = max(head.envelope_id, last[key])


def _document_values(
    envelope: Envelope, document: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    person = envelope.body["person"]
    return {
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


def _upsert_documents(
    session: Session,
    newest: dict[tuple[str, uuid.UUID], tuple[Envelope, dict[str, Any]]],
    now: dt.datetime,
) -> None:
    if not newest:
        return
    table = NationalAbroadDocument
    rows = {
        (r.host_state, r.document_id): r
        for r in session.scalars(
            select(table)
            .where(
                table.host_state.in_({k[0] for k in newest}),
                table.document_id.in_({k[1] for k in newest}),
            )
            .with_for_update()
        )
    }
    for key, (envelope, document) in newest.items():
        values = _document_values(envelope, document, now)
        row = rows.get(key)
        if row is None:
            session.add(table(host_state=key[0], document_id=key[1], **values))
        elif row.envelope_id < envelope.id:
            # A document can be reported under several subjects (an officer's change, a
            # measure's): the newest report wins whatever the arrival order.
            for name, value in values.items():
                setattr(row, name, value)


def _waiver_values(
    envelope: Envelope, violation: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    person, waiver = envelope.body["person"], envelope.body["waiver"]
    end = violation["period_end"]
    return {
        "person_id": uuid.UUID(person["id"]),
        "primary_identifier": person["primary_identifier"],
        "secondary_identifier": person["secondary_identifier"],
        "birth_year": person["birth_year"],
        "travel_document_number": person["travel_document_number"],
        "kind": violation["kind"],
        "period_start": dt.date.fromisoformat(violation["period_start"]),
        "period_end": dt.date.fromisoformat(end) if end else None,
        "status": violation["status"],
        "measure_id": uuid.UUID(waiver["measure_id"]) if waiver["measure_id"] else None,
        "measure": waiver["measure"],
        "reason": waiver["reason"],
        "waived_at": dt.datetime.fromisoformat(waiver["at"]),
        "envelope_id": envelope.id,
        "updated_at": now,
    }


def _measure_values(
    envelope: Envelope, measure: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    return {
        "legal_act": measure["legal_act"],
        "legal_number": measure["legal_number"],
        "legal_date": dt.date.fromisoformat(measure["legal_date"]),
        "period_start": dt.date.fromisoformat(measure["period_start"]),
        "period_end": dt.date.fromisoformat(measure["period_end"]),
        "title": dict(measure.get("title") or {}),
        "summary": dict(measure.get("summary") or {}),
        "status": measure["status"],
        "measure_id": uuid.UUID(envelope.subject_id),
        "announced_at": envelope.created_at,
        "envelope_id": envelope.id,
        "updated_at": now,
    }


def _upsert_newest(
    session: Session,
    table: type[NationalAbroadWaiver] | type[ForeignMeasure],
    key_names: tuple[str, str],
    newest: Newest,
    first_received_at: dt.datetime | None = None,
) -> None:
    """Insert or update one row per key, the newest envelope winning whatever the arrival
    order (an older one, late or redelivered, changes nothing): one SELECT for the batch."""
    if not newest:
        return
    first, second = (getattr(table, name) for name in key_names)
    rows: dict[tuple[str, Any], Any] = {
        (getattr(r, key_names[0]), getattr(r, key_names[1])): r
        for r in session.scalars(
            select(table)
            .where(first.in_({k[0] for k in newest}), second.in_({k[1] for k in newest}))
            .with_for_update()
        )
    }
    for key, (envelope, values) in newest.items():
        row = rows.get(key)
        if row is None:
            keys = dict(zip(key_names, key, strict=True))
            if first_received_at is not None:
                keys["first_received_at"] = first_received_at
            session.add(table(**keys, **values))
        elif row.envelope_id < envelope.id:
            for name, value in values.items():
                setattr(row, name, value)
