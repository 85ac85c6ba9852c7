"""What the exit check asks of measures: cite one, find the one that extended a document, and
find one in force that waives an overstay. Kept here so the border depends on the measures
context in one place."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.border.schemas import MeasureCitation
from kervan.measures.models import Measure, MeasureEffect
from kervan.registry.models import Person, StayDocument


def legal_basis(measure: Measure) -> str:
    number = f" No. {measure.legal_number}" if measure.legal_number else ""
    return f"{measure.legal_act}{number} of {measure.legal_date.isoformat()}"


def cite(measure: Measure, effect: str) -> MeasureCitation:
    return MeasureCitation(
        id=measure.id,
        reference=measure.reference,
        title=measure.display_title("en"),
        titles=dict(measure.title),
        legal_basis=legal_basis(measure),
        legal_act=measure.legal_act,
        legal_number=measure.legal_number or "",
        legal_date=measure.legal_date,
        effect=effect,
    )


def citation(session: Session, measure_id: uuid.UUID, effect: str) -> MeasureCitation | None:
    measure = session.get(Measure, measure_id)
    return cite(measure, effect) if measure is not None else None


def extension_citation(session: Session, document: StayDocument) -> MeasureCitation | None:
    """The measure whose extension gave the document its current end date, if one did."""
    measure = session.scalar(
        select(Measure)
        .join(MeasureEffect, MeasureEffect.measure_id == Measure.id)
        .where(
            MeasureEffect.document_id == document.id,
            MeasureEffect.new_until == document.valid_until,
        )
        .order_by(Measure.in_force_at.desc())
        .limit(1)
    )
    return cite(measure, "extends") if measure is not None else None


def overstay_waiver(
    session: Session,
    person: Person,
    document: StayDocument | None,
    *,
    since: dt.date,
    today: dt.date,
) -> MeasureCitation | None:
    """An in-force measure that waives overstay for this person from ``since`` to ``today``."""
    from kervan.border.waivers import waiving_measure

    measure = waiving_measure(session, person, document, since=since, today=today)
    return cite(measure, "waives") if measure is not None else None
