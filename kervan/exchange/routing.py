"""Which register changes leave the node, and for whom: a person's events go to the state of
their nationality only (if it has a node on the trust list), nothing personal goes to the
secretariat. Written to the outbox in the transaction of the change itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    String,
    Uuid,
    any_,
    bindparam,
    cast,
    func,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from kervan.db.base import UTCDateTime, utcnow
from kervan.db.ids import uuid7_sql
from kervan.exchange import outbox, trust_store
from kervan.registry import hooks
from kervan.registry.codes import SECRETARIAT
from kervan.registry.enums import StayEventKind
from kervan.registry.models import StayDocument

if TYPE_CHECKING:
    from kervan.wiring import Wiring

MESSAGE_FOR_EVENT = {
    StayEventKind.ISSUED: "stay.issued",
    StayEventKind.EXTENDED: "stay.extended",
    StayEventKind.REVOKED: "stay.revoked",
    StayEventKind.CANCELLED: "stay.revoked",
    # A correction restates the document; the receiver keeps the newest statement.
    StayEventKind.CORRECTED: "stay.issued",
}


def install(app: Wiring) -> None:
    """The listeners that write the outbox in the transaction of the change."""
    app.listeners.on(hooks.DOCUMENT_CHANGED, document_changed)
    app.listeners.on(hooks.DOCUMENTS_BULK_CHANGED, documents_bulk_changed)
    app.listeners.on(hooks.VIOLATION_WAIVED, violation_waived)


def home_states(session: Session) -> frozenset[str]:
    """States that may receive events about their nationals: member nodes on the trust list."""
    listed = trust_store.current(session)
    return frozenset(listed.nodes) - {SECRETARIAT} if listed else frozenset()


def document_changed(session: Session, document: Any, event_kind: Any) -> None:
    if document.nationality == document.host_state:
        return
    if document.nationality not in home_states(session):
        return
    kind = StayEventKind(event_kind)
    outbox.add(
        session,
        MESSAGE_FOR_EVENT[kind],
        document.nationality,
        ("person", document.person_id),
        {"documents": [{"document_id": str(document.id)}], "event_kind": kind.value},
    )


def violation_waived(session: Session, violation: Any, host_state: str, reason: str) -> None:
    """An officer waived one violation: one ``violation.waived`` for the home state (the
    worker fills in the person and the violation at send time)."""
    if violation.nationality == host_state:
        return
    if violation.nationality not in home_states(session):
        return
    outbox.add(
        session,
        "violation.waived",
        violation.nationality,
        ("person", violation.person_id),
        {
            "person_id": str(violation.person_id),
            "violations": [{"violation_id": str(violation.id)}],
            "measure_id": None,
            "measure": None,
            "reason": reason,
        },
    )


def _one_of_ids(session: Session, document_ids: list[Any]) -> ColumnElement[bool]:
    # On PostgreSQL one array parameter: an IN list of a chunk's 5,000 ids is 5,000 parameters
    # to render, bind and plan (a sixth of a first load's time was spent there).
    if session.get_bind().dialect.name == "postgresql":
        return StayDocument.id == any_(bindparam(None, document_ids, type_=ARRAY(Uuid())))
    return StayDocument.id.in_(document_ids)


def _uuid_text(dialect_name: str, column: Any) -> ColumnElement[str]:
    """A uuid column as ``str(uuid)`` writes it (SQLite stores 32 hex digits, unhyphenated)."""
    text = cast(column, String)
    if dialect_name == "postgresql":
        return text
    parts = [func.substr(text, start, length) for start, length in _UUID_GROUPS]
    joined: ColumnElement[Any] = parts[0]
    for part in parts[1:]:
        joined = joined + "-" + part
    return func.lower(joined)


_UUID_GROUPS = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))


def documents_bulk_changed(session: Session, document_ids: list[Any]) -> None:
    """One message per imported document, for a chunk at a time, in one ``INSERT … SELECT``:
    the messages (ids and bodies included) are made by the database, none passes through
    Python."""
    recipients = home_states(session)
    if not document_ids or not recipients:
        return
    dialect = session.get_bind().dialect
    json_object = func.json_build_object if dialect.name == "postgresql" else func.json_object
    json_array = func.json_build_array if dialect.name == "postgresql" else func.json_array
    now = utcnow()
    body = json_object(
        "documents",
        json_array(json_object("document_id", _uuid_text(dialect.name, StayDocument.id))),
        "event_kind",
        "issued",
    )
    rows = select(
        uuid7_sql(dialect, now),
        literal("stay.issued"),
        StayDocument.nationality,
        literal("person"),
        StayDocument.person_id,
        body,
        literal(now, UTCDateTime()),
    ).where(
        _one_of_ids(session, document_ids),
        StayDocument.nationality.in_(recipients),
        StayDocument.nationality != StayDocument.host_state,
    )
    outbox.insert_from_select(session.connection(), rows)


def announce_measure(session: Session, measure: Any, own_state: str) -> int:
    """A signed copy of a measure for every other node, the secretariat included (it carries no
    personal data). The measures context calls it when a measure comes into force or is
    lifted, in that transaction; returns the number of messages written. A node announces its
    own state's measures only (receivers refuse a measure from another state than its
    issuer)."""
    listed = trust_store.current(session)
    if listed is None or measure.issuing_state != own_state:
        return 0
    status = getattr(measure.status, "value", measure.status)
    body = {
        "measure": {
            "reference": measure.reference,
            "issuing_state": measure.issuing_state,
            "legal_act": measure.legal_act,
            "legal_number": measure.legal_number,
            "legal_date": measure.legal_date.isoformat(),
            "period_start": measure.period_start.isoformat(),
            "period_end": measure.period_end.isoformat(),
            "title": dict(measure.title),
            "summary": dict(measure.summary),
            "legal_act_texts": dict(getattr(measure, "legal_act_texts", None) or {}),
            "status": str(status),
        }
    }
    now = utcnow()
    recipients = sorted(set(listed.nodes) - {own_state})
    for state in recipients:
        outbox.add(session, "measure.announced", state, ("measure", measure.id), body, at=now)
    session.flush()
    return len(recipients)
