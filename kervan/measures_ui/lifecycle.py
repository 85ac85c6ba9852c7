"""The lifecycle decisions of a measure as the officer UI takes them, and its story as the
measure page tells it.

The measures service brings a measure into force and applies it in two calls, and takes no
reason for a preview or for bringing into force; the UI asks for a reason at every step (as
for a document's extension), so this module makes each step one call and keeps the reason in
the audit log, next to the service's own entry for the step. That is the only thing added to
``kervan.measures``: the steps themselves are the service's.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from kervan.accounts import audit
from kervan.accounts.roles import Permission, Principal
from kervan.measures import preview, service
from kervan.measures.actions import parse_actions
from kervan.measures.apply_sql import PassCounts
from kervan.measures.models import Measure, MeasureStatus
from kervan.registry.enums import StayKind, ViolationKind
from kervan.registry.scoping import in_scope, require

Step = Literal["preview", "activate", "lift"]
REASON_ACTION = "measure.decision"  # the audit action that carries the officer's reason
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
) -> PassCounts | None:
    """Carry out one step; bringing into force also applies the measure to the whole register
    in this transaction (as the API's apply does), so that what the officer confirmed is what
    the register shows when the page comes back. Returns what the apply did."""
    require(principal, Permission.MEASURES_MANAGE)
    counts = None
    if step == "preview":
        preview.preview_measure(session, principal, measure_id, today=today)
    elif step == "activate":
        service.activate_measure(session, principal, measure_id)
        counts = service.apply_measure(session, principal, measure_id, today=today)
    else:
        service.lift_measure(session, principal, measure_id, reason)
    audit.record(
        session,
        principal,
        REASON_ACTION,
        record_type="measure",
        record_id=measure_id,
        details={"step": step, "reason": reason},
    )
    return counts


@dataclass(frozen=True)
class LifecycleStep:
    step: str  # created, previewed, in_force, applied, lifted
    at: dt.datetime
    by: str
    reason: str = ""


def lifecycle(session: Session, principal: Principal, measure: Measure) -> list[LifecycleStep]:
    """Each step the measure went through, who took it and when, with the reason given."""
    require(principal, Permission.MEASURES_READ)
    entries, _ = audit.search_entries(
        session, audit.AuditFilter(record_type="measure", record_id=str(measure.id)), limit=200
    )
    reasons: dict[str, str] = {}
    applied_by = ""
    for entry in entries:  # newest first: the latest time a step was taken
        if entry.action == REASON_ACTION:
            step, reason = str(entry.details.get("step")), str(entry.details.get("reason", ""))
            reasons.setdefault(step, reason)
        elif entry.action == "measure.apply" and not applied_by:
            applied_by = entry.username  # the measure keeps no "applied by": the CLI may apply
    steps = [LifecycleStep("created", measure.created_at, measure.created_by)]
    if measure.previewed_at is not None:
        by = measure.previewed_by or ""
        steps.append(
            LifecycleStep("previewed", measure.previewed_at, by, reasons.get("preview", ""))
        )
    if measure.in_force_at is not None:
        by = measure.in_force_by or ""
        steps.append(
            LifecycleStep("in_force", measure.in_force_at, by, reasons.get("activate", ""))
        )
    if measure.applied_at is not None:
        steps.append(LifecycleStep("applied", measure.applied_at, applied_by))
    if measure.lifted_at is not None:
        by, reason = measure.lifted_by or "", measure.lift_reason or ""
        steps.append(LifecycleStep("lifted", measure.lifted_at, by, reason))
    return steps


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
