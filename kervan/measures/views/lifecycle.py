"""The lifecycle decisions of a measure as the officer UI takes them, and its story as the
measure page tells it — from the measure's own events (``measure_events``), each with who took
the step and why. Bringing into force only asks the worker to apply the measure to the whole
register (as the API does); the page shows how far that has got."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from kervan.accounts.policy import in_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.measures import preview, service
from kervan.measures.actions import parse_actions
from kervan.measures.models import Measure, MeasureEventKind, MeasureStatus
from kervan.registry.enums import StayKind, ViolationKind

Step = Literal["preview", "activate", "lift"]
# Which steps each status offers (the service refuses the others; the page does not show them).
NEXT_STEPS: dict[MeasureStatus, tuple[Step, ...]] = {
    MeasureStatus.DRAFT: ("preview",),
    MeasureStatus.PREVIEWED: ("preview", "activate"),
    MeasureStatus.IN_FORCE: ("lift",),
    MeasureStatus.LIFTED: (),
}


def decide(
    session: Session,
    principal: Principal,
    measure_id: uuid.UUID,
    step: Step,
    reason: str,
    *,
    today: dt.date,
) -> None:
    """Carry out one step with the officer's reason, kept in the measure's events."""
    require(principal, Permission.MEASURES_MANAGE)
    if step == "preview":
        preview.preview_measure(session, principal, measure_id, today=today, reason=reason)
    elif step == "activate":
        service.activate_measure(session, principal, measure_id, reason)
    else:
        service.lift_measure(session, principal, measure_id, reason)


@dataclass(frozen=True)
class LifecycleStep:
    step: str  # created, updated, previewed, in_force, applied, lifted
    at: dt.datetime
    by: str
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)


# Event kinds as the page names the steps.
STEP_OF_EVENT = {
    MeasureEventKind.CREATED: "created",
    MeasureEventKind.UPDATED: "updated",
    MeasureEventKind.PREVIEWED: "previewed",
    MeasureEventKind.ACTIVATED: "in_force",
    MeasureEventKind.APPLIED: "applied",
    MeasureEventKind.LIFTED: "lifted",
}


def lifecycle(session: Session, principal: Principal, measure: Measure) -> list[LifecycleStep]:
    """Each step the measure went through, who took it and when, with the reason given."""
    require(principal, Permission.MEASURES_READ)
    return [
        LifecycleStep(STEP_OF_EVENT[e.kind], e.at, e.actor, e.reason, dict(e.details))
        for e in service.events_of(session, measure.id)
    ]


def preview_view(stored: dict[str, Any] | None, principal: Principal) -> dict[str, Any] | None:
    """The stored preview as ``principal`` may see it, with its vocabulary values as enums, so
    templates label them in the officer's language, and the totals the page states.

    The preview was computed for the whole register by a migration officer, and a measure page
    is read by every role: the sample names stay documents, so it is kept for roles that read
    the register (a consul: their own nationals only), and the rows by nationality of a consul
    are their own state's, as in every other list they see."""
    if not stored:
        return None
    view = dict(stored)
    view["by_nationality_kind"] = [
        {**row, "kind": _member(StayKind, row["kind"])}
        for row in _visible(principal, stored.get("by_nationality_kind", []))
    ]
    sample = stored.get("sample", []) if principal.can(Permission.REGISTER_READ) else []
    view["sample"] = [
        {**row, "kind": _member(StayKind, row["kind"])} for row in _visible(principal, sample)
    ]
    violations = _visible(principal, stored.get("violations", []))
    view["violations"] = [
        {**row, "kind": _member(ViolationKind, row["kind"])} for row in violations
    ]
    view["violations_total"] = sum(row["violations"] for row in violations)
    return view


def _visible(principal: Principal, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [row for row in rows if in_scope(principal, str(row.get("nationality", "")))]


def _member(enum: type[StayKind] | type[ViolationKind], value: str) -> object:
    try:
        return enum(value)
    except ValueError:  # a value a newer node wrote: shown as stored
        return value


def extend_target(measure: Measure) -> dt.date | None:
    """The fixed date the measure extends documents to, if it gives one (for the summary)."""
    extend = parse_actions(measure.actions).extend
    return extend.fixed_target(measure.period_end) if extend is not None else None
