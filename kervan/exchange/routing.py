"""Which register changes leave the node, and for whom: a person's events go to the state of
their nationality only (if it has a node on the trust list), nothing personal goes to the
secretariat. Written to the outbox in the transaction of the change itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.db.base import utcnow
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


def documents_bulk_changed(session: Session, document_ids: list[Any]) -> None:
    """One message per imported document, for a chunk at a time (three columns read, one bulk
    insert), never an object per row."""
    recipients = home_states(session)
    if not document_ids or not recipients:
        return
    rows = session.execute(
        select(StayDocument.id, StayDocument.person_id, StayDocument.nationality).where(
            StayDocument.id.in_(document_ids),
            StayDocument.nationality.in_(recipients),
            StayDocument.nationality != StayDocument.host_state,
        )
    ).all()
    now = utcnow()
    outbox.add_rows(
        session.connection(),
        (
            outbox.row(
                "stay.issued",
                nationality,
                ("person", person_id),
                {"documents": [{"document_id": str(document_id)}], "event_kind": "issued"},
                at=now,
            )
            for document_id, person_id, nationality in rows
        ),
    )


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
            "status": str(status),
        }
    }
    now = utcnow()
    recipients = sorted(set(listed.nodes) - {own_state})
    for state in recipients:
        outbox.add(session, "measure.announced", state, ("measure", measure.id), body, at=now)
    session.flush()
    return len(recipients)
