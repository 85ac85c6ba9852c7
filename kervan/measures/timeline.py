"""A person's stay documents on one time line: how long each was valid as issued, what each
measure added to it, and any overstay (recorded, or an active document past its end).
Read with the person (audited, purpose "measures.timeline") and the measures' effects on the
person's documents in one query."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.measures.models import Measure, MeasureEffect
from kervan.registry import service
from kervan.registry.enums import StayKind, StayStatus, ViolationKind
from kervan.registry.models import Person, StayDocument


class Part(enum.StrEnum):
    ISSUED = "issued"  # valid as issued (or as extended by an officer)
    EXTENSION = "extension"  # added by a measure
    OVERSTAY = "overstay"  # recorded as a violation, or active and past its end


@dataclass(frozen=True)
class Span:
    part: Part
    start: dt.date
    end: dt.date
    measure_id: uuid.UUID | None = None
    measure: Measure | None = None


@dataclass(frozen=True)
class DocumentLine:
    document_id: uuid.UUID
    kind: StayKind
    number: str
    status: StayStatus
    spans: list[Span] = field(default_factory=list)


def person_timeline(
    session: Session, principal: Principal, person_id: uuid.UUID, *, today: dt.date
) -> tuple[Person, list[DocumentLine]]:
    person = service.get_person(session, principal, person_id, purpose="measures.timeline")
    documents = sorted(person.stay_documents, key=lambda d: (d.valid_from, d.number))
    effects: dict[uuid.UUID, list[tuple[MeasureEffect, Measure]]] = {}
    if documents:
        query = (
            select(MeasureEffect, Measure)
            .join(Measure, Measure.id == MeasureEffect.measure_id)
            .where(MeasureEffect.document_id.in_([d.id for d in documents]))
            .order_by(MeasureEffect.old_until)
        )
        for effect, measure in session.execute(query):
            effects.setdefault(effect.document_id, []).append((effect, measure))
    overstays: dict[uuid.UUID, list[Span]] = {}
    for violation in person.violations:
        if violation.kind == ViolationKind.OVERSTAY and violation.document_id is not None:
            end = violation.period_end or today
            span = Span(Part.OVERSTAY, violation.period_start, end)
            overstays.setdefault(violation.document_id, []).append(span)
    return person, [
        _line(d, effects.get(d.id, []), overstays.get(d.id, []), today) for d in documents
    ]


def _line(
    document: StayDocument,
    effects: list[tuple[MeasureEffect, Measure]],
    overstays: list[Span],
    today: dt.date,
) -> DocumentLine:
    issued_end = min((e.old_until for e, _ in effects), default=document.valid_until)
    spans = [Span(Part.ISSUED, document.valid_from, issued_end)]
    spans += [
        Span(Part.EXTENSION, e.old_until + dt.timedelta(days=1), e.new_until, m.id, m)
        for e, m in effects
    ]
    if overstays:
        spans += overstays
    elif document.status == StayStatus.ACTIVE and document.valid_until < today:
        spans.append(Span(Part.OVERSTAY, document.valid_until + dt.timedelta(days=1), today))
    return DocumentLine(document.id, document.kind, document.number, document.status, spans)
