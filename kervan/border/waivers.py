"""Which measure in force waives a traveller's overstay at exit.

A measure waives the overstay when it has a ``waive`` action for ``overstay`` whose window (its
``committed_between``, else the measure's period) contains today — the traveller leaves while
the waiver lasts — and the measure's scope together with the action's own matches the person
and their last stay document. Scopes are evaluated on the document's end date before any
measure extended it, as the measures context does when applying, so that an extension by one
measure does not take a person out of another's scope."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kervan.measures.actions import combined, parse_actions
from kervan.measures.models import Measure
from kervan.measures.reach import base_until, in_force
from kervan.measures.scope import ScopeError, explain_scope, parse_scope
from kervan.registry.enums import ViolationKind
from kervan.registry.models import Person, StayDocument


def as_before_measures(session: Session, document: StayDocument | None) -> StayDocument | None:
    """A detached copy of the document with its end date before any measure extended it."""
    if document is None:
        return None
    original = base_until(session, document)
    if original == document.valid_until:
        return document
    return StayDocument(
        id=document.id,
        person_id=document.person_id,
        kind=document.kind,
        number=document.number,
        host_state=document.host_state,
        purpose=document.purpose,
        valid_from=document.valid_from,
        valid_until=original,
        status=document.status,
        nationality=document.nationality,
    )


def waiving_measure(
    session: Session,
    person: Person,
    document: StayDocument | None,
    *,
    since: dt.date,
    today: dt.date,
) -> Measure | None:
    evaluated = as_before_measures(session, document)
    for measure in in_force(session):
        try:
            measure_scope = parse_scope(measure.scope or None)
            actions = parse_actions(measure.actions)
        except ScopeError:  # a stored measure is valid when saved; never let one break exits
            continue
        for waiver in actions.waivers:
            if ViolationKind.OVERSTAY.value not in waiver.kinds:
                continue
            start, end = waiver.window(measure.period_start, measure.period_end)
            if not (start <= today <= end and since <= end):
                continue
            scope = combined(measure_scope, waiver.scope)
            if explain_scope(scope, person, evaluated, today=today)[0].matched:
                return measure
    return None
