"""Points where other contexts react to register changes in the same transaction: measures
bring new and corrected documents under regimes in force, the exchange writes its outbox.

Listeners register at app/CLI start-up; with none registered these are no-ops, so the register
works on its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

DocumentListener = Callable[[Session, Any, Any], None]
ViolationListener = Callable[[Session, Any], None]

_document_listeners: list[DocumentListener] = []
_violation_listeners: list[ViolationListener] = []


def on_document_changed(listener: DocumentListener) -> None:
    if listener not in _document_listeners:
        _document_listeners.append(listener)


def on_violation_recorded(listener: ViolationListener) -> None:
    if listener not in _violation_listeners:
        _violation_listeners.append(listener)


def document_changed(session: Session, document: Any, event_kind: Any) -> None:
    for listener in _document_listeners:
        listener(session, document, event_kind)


def violation_recorded(session: Session, violation: Any) -> None:
    for listener in _violation_listeners:
        listener(session, violation)


# (session, violation, host_state, reason): an officer waived one violation (measures waive
# theirs in their own set-based SQL and write their own messages).
WaiverListener = Callable[[Session, Any, str, str], None]
_waiver_listeners: list[WaiverListener] = []


def on_violation_waived(listener: WaiverListener) -> None:
    if listener not in _waiver_listeners:
        _waiver_listeners.append(listener)


def violation_waived(session: Session, violation: Any, host_state: str, reason: str) -> None:
    for listener in _waiver_listeners:
        listener(session, violation, host_state, reason)


BulkListener = Callable[[Session, list[Any]], None]
_bulk_listeners: list[BulkListener] = []


def on_documents_bulk_changed(listener: BulkListener) -> None:
    if listener not in _bulk_listeners:
        _bulk_listeners.append(listener)


def documents_bulk_changed(session: Session, document_ids: list[Any]) -> None:
    """Set-based counterpart of ``document_changed`` for imports: listeners get the ids of a
    chunk of new or corrected documents and must handle them in SQL, not one by one."""
    for listener in _bulk_listeners:
        listener(session, document_ids)
