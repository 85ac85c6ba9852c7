"""Who a measure reaches: the one home of the rules every path shares — the full pass, the
chunked pass, the listener on new data, the exit check, explain and benefits.

- *Which measures*: ``in_force`` (one query, one order: the oldest in force first, id as the
  tie-break between equally favourable ones).
- *Judged on what*: a document's end date **before any measure** (the smallest ``old_until``
  of its effects, else its own end date), so measures reach the same documents in whatever
  order they came into force. ``base_until_sql`` (per row), ``bases_subquery`` (per document,
  set-based) and ``base_until`` / ``bases_of`` (one document or person, for explanations) are
  the same rule in the shapes callers need.
- *Which part of the register*: ``Slice``, for documents, violations and persons alike.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, false, func, or_, select, true
from sqlalchemy.orm import Session

from kervan.measures.models import Measure, MeasureEffect, MeasureStatus
from kervan.registry.models import StayDocument, Violation


def in_force(session: Session) -> list[Measure]:
    """Measures in force, oldest first."""
    query = (
        select(Measure)
        .where(Measure.status == MeasureStatus.IN_FORCE)
        .order_by(Measure.in_force_at, Measure.id)
    )
    return list(session.scalars(query))


def base_until_sql(document: Any) -> ColumnElement[Any]:
    """A document's end date before any measure, as a correlated expression over ``document``
    (``StayDocument`` or an alias of it)."""
    before = (
        select(func.min(MeasureEffect.old_until))
        .where(MeasureEffect.document_id == document.id)
        .scalar_subquery()
    )
    return func.coalesce(before, document.valid_until)


def bases_subquery(where: ColumnElement[bool] | None = None) -> Subquery:
    """``document_id, base``: the end date before any measure of every document a measure
    extended (restricted by ``where`` over ``measure_effects``), for an outer join."""
    query = select(
        MeasureEffect.document_id, func.min(MeasureEffect.old_until).label("base")
    ).group_by(MeasureEffect.document_id)
    if where is not None:
        query = query.where(where)
    return query.subquery("bases")


def base_until(session: Session, document: StayDocument) -> dt.date:
    """One document's end date before any measure."""
    found = session.scalar(
        select(func.min(MeasureEffect.old_until)).where(MeasureEffect.document_id == document.id)
    )
    return found or document.valid_until


def bases_of(session: Session, person_id: uuid.UUID) -> dict[uuid.UUID, dt.date]:
    """End dates before any measure of the person's documents that measures extended."""
    rows = session.execute(
        select(MeasureEffect.document_id, func.min(MeasureEffect.old_until))
        .where(MeasureEffect.person_id == person_id)
        .group_by(MeasureEffect.document_id)
    ).all()
    return {document_id: until for document_id, until in rows}


@dataclass(frozen=True)
class Slice:
    """The part of the register one pass covers: everything, a range of person ids (chunks on
    PostgreSQL: a person's documents are always in one chunk, so they get one message), or
    given documents (new, imported or corrected ones), or given violations (newly recorded
    ones: no document is touched then)."""

    person_from: uuid.UUID | None = None
    person_to: uuid.UUID | None = None  # exclusive
    document_ids: tuple[uuid.UUID, ...] | None = None
    violation_ids: tuple[uuid.UUID, ...] | None = None

    def on(
        self, person_id: Any, document_id: Any, violation_id: Any | None = None
    ) -> ColumnElement[bool]:
        """Rows of a table with these columns inside the slice."""
        parts: list[ColumnElement[bool]] = []
        if self.violation_ids is not None:
            parts.append(
                violation_id.in_(self.violation_ids) if violation_id is not None else false()
            )
        parts.extend(self._person_range(person_id))
        if self.document_ids is not None:
            parts.append(document_id.in_(self.document_ids))
        return and_(*parts) if parts else true()

    def persons(self, person_id: Any) -> ColumnElement[bool]:
        """Persons the slice is about: in its id range, holding one of its documents, or
        having one of its violations."""
        parts = self._person_range(person_id)
        about: list[ColumnElement[bool]] = []
        if self.document_ids is not None:
            holders = select(StayDocument.person_id).where(StayDocument.id.in_(self.document_ids))
            about.append(person_id.in_(holders))
        if self.violation_ids is not None:
            offenders = select(Violation.person_id).where(Violation.id.in_(self.violation_ids))
            about.append(person_id.in_(offenders))
        if about:
            parts.append(or_(*about))
        return and_(*parts) if parts else true()

    def _person_range(self, person_id: Any) -> list[ColumnElement[bool]]:
        parts: list[ColumnElement[bool]] = []
        if self.person_from is not None:
            parts.append(person_id >= self.person_from)
        if self.person_to is not None:
            parts.append(person_id < self.person_to)
        return parts
