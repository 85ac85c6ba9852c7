"""What accepted envelopes change on the receiving node, a batch at a time in a few statements.

Order is kept by the envelope ids (UUIDv7, increasing in the sender's commit order): for each
document the newest report wins, so an envelope older than one already applied — a reordered
or late retry — is logged and receipted but cannot roll a document back. ``SubjectHead`` keeps
the newest envelope per sender and subject, and how many were accepted for it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import case, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kervan.exchange.consular import search_keys
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
# Message types of other contexts (diplomacy) are applied by the handler they register, in the
# batch's transaction, one envelope at a time (they are few).
Handler = Callable[[Session, Envelope, dt.datetime], None]
_handlers: dict[str, Handler] = {}


def on_envelope(type_name: str, handler: Handler) -> None:
    _handlers[type_name] = handler


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
        elif envelope.type in _handlers:
            _handlers[envelope.type](session, envelope, now)
    documents: Newest = {k: (e, _document_values(e, d, now)) for k, (e, d) in newest.items()}
    _upsert_newest(session, NationalAbroadDocument, ("host_state", "document_id"), documents)
    _upsert_newest(session, NationalAbroadWaiver, ("host_state", "violation_id"), waivers)
    _upsert_newest(session, ForeignMeasure, ("issuing_state", "reference"), measures, now)


def _row_keys(envelope: Envelope) -> list[tuple[type[Any], tuple[str, Any]]]:
    """The rows of the consulate's view an envelope writes, as (model, key)."""
    if envelope.type in STAY_TYPES:
        return [
            (NationalAbroadDocument, (envelope.from_state, uuid.UUID(d["id"])))
            for d in envelope.body["documents"]
        ]
    if envelope.type == WAIVED:
        return [
            (NationalAbroadWaiver, (envelope.from_state, uuid.UUID(v["id"])))
            for v in envelope.body["violations"]
        ]
    if envelope.type == ANNOUNCED:
        measure = envelope.body["measure"]
        return [(ForeignMeasure, (measure["issuing_state"], measure["reference"]))]
    return []


KEY_COLUMNS: dict[type[Any], tuple[str, str]] = {
    NationalAbroadDocument: ("host_state", "document_id"),
    NationalAbroadWaiver: ("host_state", "violation_id"),
    ForeignMeasure: ("issuing_state", "reference"),
}


def superseded(session: Session, envelopes: Sequence[Envelope]) -> set[uuid.UUID]:
    """The envelopes ``apply_batch`` will not apply: every row they would write already holds,
    or gets from this batch, a newer envelope (a higher id — ids are UUIDv7, increasing in the
    sender's order). Their receipts say ``superseded``, not ``accepted``."""
    keys = {e.id: _row_keys(e) for e in envelopes}
    newest: dict[tuple[type[Any], tuple[str, Any]], uuid.UUID] = {}
    for envelope in envelopes:
        for key in keys[envelope.id]:
            newest[key] = max(envelope.id, newest.get(key, envelope.id))
    for model, columns in KEY_COLUMNS.items():
        wanted = [k for m, k in newest if m is model]
        table = model.__table__
        pair = tuple_(table.c[columns[0]], table.c[columns[1]])
        for start in range(0, len(wanted), 500):
            rows = session.execute(
                select(table.c[columns[0]], table.c[columns[1]], table.c.envelope_id).where(
                    pair.in_(wanted[start : start + 500])
                )
            )
            for first, second, applied in rows:
                key = (model, (first, second))
                newest[key] = max(applied, newest[key])
    return {e.id for e in envelopes if keys[e.id] and all(newest[key] > e.id for key in keys[e.id])}


def _insert(session: Session, table: Any) -> Any:
    """INSERT … ON CONFLICT for the session's database (both speak it)."""
    dialect = session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def _advance_heads(session: Session, envelopes: Sequence[Envelope]) -> None:
    """One upsert for the batch: counts add up, the newest envelope id is kept."""
    counts: dict[SubjectKey, int] = {}
    last: dict[SubjectKey, uuid.UUID] = {}
    for envelope in envelopes:
        key = (envelope.from_state, envelope.subject_type, envelope.subject_id)
        counts[key] = counts.get(key, 0) + 1
        last[key] = max(envelope.id, last.get(key, envelope.id))
    table = SubjectHead.__table__
    statement = _insert(session, table)
    statement = statement.on_conflict_do_update(
        index_elements=["from_state", "subject_type", "subject_id"],
        set_={
            "applied_count": table.c.applied_count + statement.excluded.applied_count,
            "envelope_id": case(
                (
                    table.c.envelope_id < statement.excluded.envelope_id,
                    statement.excluded.envelope_id,
                ),
                else_=table.c.envelope_id,
            ),
        },
    )
    rows = [
        {
            "from_state": key[0],
            "subject_type": key[1],
            "subject_id": key[2],
            "envelope_id": last[key],
            "applied_count": count,
        }
        for key, count in sorted(counts.items())
    ]
    session.execute(statement, rows)


def _document_values(
    envelope: Envelope, document: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    person = envelope.body["person"]
    name_folded, name_skeleton = search_keys(person["primary_identifier"])
    return {
        "person_id": uuid.UUID(person["id"]),
        "primary_identifier": person["primary_identifier"],
        "secondary_identifier": person["secondary_identifier"],
        "name_folded": name_folded,
        "name_skeleton": name_skeleton,
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
        # Optional: envelopes of nodes before it carry the act in one language only.
        "legal_act_texts": dict(measure.get("legal_act_texts") or {}),
        "status": measure["status"],
        "measure_id": uuid.UUID(envelope.subject_id),
        "announced_at": envelope.created_at,
        "envelope_id": envelope.id,
        "updated_at": now,
    }


def _upsert_newest(
    session: Session,
    model: type[NationalAbroadDocument] | type[NationalAbroadWaiver] | type[ForeignMeasure],
    key_names: tuple[str, str],
    newest: Newest,
    first_received_at: dt.datetime | None = None,
) -> None:
    """Insert or update one row per key in one statement for the batch, the newest envelope
    winning whatever the arrival order: an older one, late or redelivered, changes nothing.
    Concurrent batches are safe, as the database resolves the conflict row by row."""
    if not newest:
        return
    table = model.__table__
    rows = []
    for key, (_, values) in sorted(newest.items()):
        row = {**dict(zip(key_names, key, strict=True)), **values}
        if first_received_at is not None:
            row["first_received_at"] = first_received_at
        rows.append(row)
    statement = _insert(session, table)
    kept_on_update = {*key_names, "first_received_at"}
    statement = statement.on_conflict_do_update(
        index_elements=list(key_names),
        set_={name: statement.excluded[name] for name in rows[0] if name not in kept_on_update},
        where=table.c.envelope_id < statement.excluded.envelope_id,
    )
    session.execute(statement, rows)
