"""Bringing new, imported and corrected documents under the measures in force, at once and in
the same transaction as the change: the apply SQL restricted to those documents."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import system_principal
from kervan.exchange import routing
from kervan.measures import service
from kervan.measures.apply_sql import Slice, apply_pass


def document_changed(session: Session, document: Any, event_kind: Any) -> None:
    changed = _apply_in_force(session, [document.id], document.host_state)
    if changed:
        session.expire(document)  # its end date changed in SQL, behind the ORM's back


def documents_bulk_changed(session: Session, document_ids: list[Any]) -> None:
    from kervan.registry.models import StayDocument

    if not document_ids:
        return
    first = session.get(StayDocument, document_ids[0])
    host = first.host_state if first is not None else ""
    _apply_in_force(session, document_ids, host)


def _apply_in_force(session: Session, document_ids: list[uuid.UUID], node_state: str) -> int:
    measures = service.in_force(session)
    if not measures:
        return 0
    where = Slice(document_ids=tuple(document_ids))
    today, changed = dt.date.today(), 0
    peers = sorted(routing.home_states(session))
    for measure in measures:
        plan = service.plan_for(measure, today)
        counts = apply_pass(
            session.connection(),
            plan,
            where,
            run_at=service.utcnow(),
            node_state=node_state,
            peers=peers,
        )
        if counts.documents or counts.violations:
            actor = system_principal(node_state, f"measure:{measure.id}")
            audit.record(
                session,
                actor,
                "measure.apply",
                record_type="measure",
                record_id=measure.id,
                details={
                    "reference": measure.reference,
                    "trigger": "document_changed",
                    "documents_extended": counts.documents,
                    "violations_waived": counts.violations,
                },
            )
        changed += counts.documents
    return changed
