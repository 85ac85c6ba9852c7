""" "Applies to this person": every measure in force, whether its scope reaches the person (with
the clauses and values seen), and what it did to their documents and violations.

Falls back to this module's own reading when ``kervan.measures.service`` offers no
person-level explanation: both use ``explain_scope`` on the same scope, so they agree."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.benefits.eligibility import explain
from kervan.border.measures_link import legal_basis
from kervan.border.waivers import as_before_measures
from kervan.measures.models import Measure, MeasureEffect, MeasureStatus
from kervan.measures.scope import ClauseResult, ScopeError, parse_scope
from kervan.registry.models import Person


@dataclass
class MeasureForPerson:
    measure: Measure
    legal_basis: str
    applies: bool
    reasons: list[ClauseResult]
    document_number: str | None
    extensions: list[dict[str, Any]] = field(default_factory=list)
    waived_violations: list[uuid.UUID] = field(default_factory=list)


def measures_for_person(
    session: Session, person: Person, *, today: dt.date
) -> list[MeasureForPerson]:
    measures = list(
        session.scalars(
            select(Measure)
            .where(Measure.status == MeasureStatus.IN_FORCE)
            .order_by(Measure.in_force_at, Measure.id)
        )
    )
    document_ids = [d.id for d in person.stay_documents]
    effects = list(
        session.scalars(select(MeasureEffect).where(MeasureEffect.document_id.in_(document_ids)))
    )
    numbers = {d.id: d.number for d in person.stay_documents}
    # Scopes are read on documents as they were before any measure extended them.
    originals = [as_before_measures(session, d) for d in person.stay_documents]
    as_before = _PersonView(person, [d for d in originals if d is not None])
    out = []
    for measure in measures:
        try:
            scope = parse_scope(measure.scope or None)
        except ScopeError:
            continue
        applies, reasons, document = explain(scope, as_before, today)  # type: ignore[arg-type]
        out.append(
            MeasureForPerson(
                measure=measure,
                legal_basis=legal_basis(measure),
                applies=applies,
                reasons=reasons,
                document_number=document.number if document is not None else None,
                extensions=[
                    {"document": numbers[e.document_id], "from": e.old_until, "to": e.new_until}
                    for e in effects
                    if e.measure_id == measure.id
                ],
                waived_violations=[
                    v.id for v in person.violations if v.waived_by_measure_id == measure.id
                ],
            )
        )
    return out


class _PersonView:
    """The person with their documents replaced by their pre-measure copies (duck-typed for
    ``explain_scope``, which reads attributes only)."""

    def __init__(self, person: Person, documents: list[Any]) -> None:
        self._person = person
        self.stay_documents = documents

    def __getattr__(self, name: str) -> Any:
        return getattr(self._person, name)
