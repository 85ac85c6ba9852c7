"""Bringing new, imported and corrected documents, and newly recorded violations, under the
measures in force, at once and in the same transaction as the change: the apply SQL restricted
to those documents or violations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import system_principal
from kervan.exchange import routing
from kervan.measures import service
from kervan.measures.reach import Slice, in_force


def document_changed(session: Session, document: Any, event_kind: Any) -> None:
    changed = _apply_in_force(session, Slice(document_ids=(document.id,)), "document_changed")
    if changed:
        session.expire(document)  # its end date changed in SQL, behind the ORM's back


def violation_recorded(session: Session, violation: Any) -> None:
    """A violation recorded after a waiver came into force, in its window and scope, is waived
    at once (and its home state told), as if it had been there when the measure applied."""
    if _apply_in_force(session, Slice(violation_ids=(violation.id,)), "violation_recorded"):
        session.expire(violation)


def documents_bulk_changed(session: Session, document_ids: list[Any]) -> None:
    if not document_ids:
        return
    _apply_in_force(session, Slice(document_ids=tuple(document_ids)), "documents_imported")


def _apply_in_force(session: Session, where: Slice, trigger: str) -> int:
    """Returns how many documents were extended plus violations waived."""
    measures = in_force(session)
    if not measures:
        return 0
    today, changed = dt.date.today(), 0
    peers = sorted(routing.home_states(session))
    for measure in measures:
        node_state = measure.issuing_state  # a node applies its own state's measures
        # The same pipeline as a whole-register pass, listeners included: a newcomer gets the
        # measure's benefits as well as its extension.
        counts = service.run_pass(
            session, measure, where, today=today, node_state=node_state, peers=peers
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
                    "trigger": trigger,
                    "documents_extended": counts.documents,
                    "violations_waived": counts.violations,
                },
            )
        changed += counts.documents + counts.violations
    return changed


def measure_titles(session: Session, measure_ids: set[Any], titles: dict[Any, Any]) -> None:
    """The register's histories name measures by their titles (``hooks.MEASURE_TITLES``)."""
    from sqlalchemy import select

    from kervan.measures.models import Measure

    found = session.execute(
        select(Measure.id, Measure.title, Measure.reference).where(Measure.id.in_(measure_ids))
    )
    for measure_id, title, reference in found:
        titles[measure_id] = title or {"en": reference}
