"""Points where other contexts react to register changes in the same transaction: measures
bring new and corrected documents under regimes in force, the exchange writes its outbox.

Packages add listeners in their ``install(app)`` (``app.listeners.on(DOCUMENT_CHANGED, …)``);
the session carries its node's wiring (``kervan.wiring``). With none, these are no-ops, so the
register works on its own."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kervan.wiring import emit

# (session, document, event_kind)
DOCUMENT_CHANGED = "registry.document_changed"
# (session, violation)
VIOLATION_RECORDED = "registry.violation_recorded"
# (session, violation, host_state, reason): an officer waived one violation (measures waive
# theirs in their own set-based SQL and write their own messages).
VIOLATION_WAIVED = "registry.violation_waived"
# (session, document_ids): a chunk of new or corrected documents, to be handled in SQL.
DOCUMENTS_BULK_CHANGED = "registry.documents_bulk_changed"
# (session, measure_ids, titles): the package that keeps measures fills ``titles`` with each
# one's title by language, so the history names a measure, never its id.
MEASURE_TITLES = "registry.measure_titles"


def document_changed(session: Session, document: Any, event_kind: Any) -> None:
    emit(session, DOCUMENT_CHANGED, document, event_kind)


def violation_recorded(session: Session, violation: Any) -> None:
    emit(session, VIOLATION_RECORDED, violation)


def violation_waived(session: Session, violation: Any, host_state: str, reason: str) -> None:
    emit(session, VIOLATION_WAIVED, violation, host_state, reason)


def documents_bulk_changed(session: Session, document_ids: list[Any]) -> None:
    """Set-based counterpart of ``document_changed`` for imports: listeners get the ids of a
    chunk of new or corrected documents and must handle them in SQL, not one by one."""
    emit(session, DOCUMENTS_BULK_CHANGED, document_ids)


def measure_titles(session: Session, measure_ids: set[Any]) -> dict[Any, dict[str, str]]:
    """Titles (language → text) of the measures named in a history; empty without measures."""
    titles: dict[Any, dict[str, str]] = {}
    if measure_ids:
        emit(session, MEASURE_TITLES, measure_ids, titles)
    return titles
