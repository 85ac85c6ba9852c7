"""Measure operations: drafts, the lifecycle draft → previewed → in force → lifted, and
applying a measure to the register. Each function works on the caller's session (it flushes,
never commits), checks the principal, and audits; ``apply_chunked`` alone owns its
transactions, one per chunk, so that a killed run resumes where it stopped."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts import audit
from kervan.accounts.policy import require
from kervan.accounts.roles import Permission, Principal
from kervan.db.base import utcnow
from kervan.errors import Conflict, ErrorCollector, NotFound
from kervan.exchange import routing
from kervan.measures import messages
from kervan.measures.actions import actions_to_data, combined, parse_actions
from kervan.measures.apply_sql import PassCounts, Plan, apply_pass
from kervan.measures.models import Measure, MeasureEvent, MeasureEventKind, MeasureStatus
from kervan.measures.reach import Slice
from kervan.measures.schemas import MeasureIn
from kervan.measures.scope import ScopeError, parse_scope, scope_to_data
from kervan.messages import RECORD_NOT_FOUND
from kervan.registry.codes import is_state_code
from kervan.registry.models import Person
from kervan.uow import unit_of_work
from kervan.wiring import wiring_of

# Listeners run after each apply pass, in its transaction, whatever started it — an officer,
# the worker's job, or new data arriving (benefits grant what a measure's ``grant_benefit``
# actions give): (session, measure, plan, slice) -> None. Added by ``install(app)``.
MEASURE_PASSED = "measures.passed"


def _validate(data: MeasureIn) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Scope and actions in canonical form; every problem reported at once."""
    errors = ErrorCollector()
    if not is_state_code(data.issuing_state):
        errors.add("issuing_state", f"{data.issuing_state!r} is not a state code")
    if data.period.end < data.period.start:
        errors.add("period.to", "the period ends before it begins", messages.PERIOD_REVERSED)
    scope: dict[str, Any] = {}
    actions: list[dict[str, Any]] = []
    try:
        scope = scope_to_data(parse_scope(data.scope))
    except ScopeError as exc:
        errors.errors.extend(exc.errors)
    try:
        actions = actions_to_data(parse_actions(data.actions))
    except ScopeError as exc:
        errors.errors.extend(exc.errors)
    errors.raise_if_any("The measure has invalid fields", code=messages.INVALID_FIELDS)
    return scope, actions


def _fill(
    measure: Measure, data: MeasureIn, scope: dict[str, Any], actions: list[dict[str, Any]]
) -> None:
    measure.reference = data.reference
    measure.issuing_state = data.issuing_state
    measure.legal_act = data.legal_basis.act
    measure.legal_act_texts = dict(data.legal_basis.act_texts)
    measure.legal_number = data.legal_basis.number
    measure.legal_date = data.legal_basis.date
    measure.legal_link = data.legal_basis.link
    measure.title, measure.summary = dict(data.title), dict(data.summary)
    measure.period_start, measure.period_end = data.period.start, data.period.end
    measure.scope, measure.actions = scope, actions


def create_measure(session: Session, principal: Principal, data: MeasureIn) -> Measure:
    require(principal, Permission.MEASURES_MANAGE)
    scope, actions = _validate(data)
    measure = Measure(status=MeasureStatus.DRAFT, created_by=principal.actor)
    _fill(measure, data, scope, actions)
    session.add(measure)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"a measure with reference {data.reference} already exists",
            code=messages.REFERENCE_TAKEN,
            params={"reference": data.reference},
        ) from exc
    record_event(session, measure, MeasureEventKind.CREATED, principal.actor)
    _audit(session, principal, "measure.create", measure)
    return measure


def update_measure(
    session: Session, principal: Principal, measure_id: uuid.UUID, data: MeasureIn
) -> Measure:
    """Only a draft or previewed measure changes; a change sends it back to draft, since the
    preview the officer saw no longer describes it."""
    require(principal, Permission.MEASURES_MANAGE)
    measure = get_measure(session, principal, measure_id)
    _expect(measure, {MeasureStatus.DRAFT, MeasureStatus.PREVIEWED}, "change")
    scope, actions = _validate(data)
    _fill(measure, data, scope, actions)
    measure.status, measure.preview = MeasureStatus.DRAFT, None
    session.flush()
    record_event(session, measure, MeasureEventKind.UPDATED, principal.actor)
    _audit(session, principal, "measure.update", measure)
    return measure


def find_measure(session: Session, principal: Principal, key: str) -> Measure:
    """By id or by reference (the CLI accepts either)."""
    require(principal, Permission.MEASURES_READ)
    try:
        return get_measure(session, principal, uuid.UUID(key))
    except ValueError:
        found = session.scalar(select(Measure).where(Measure.reference == key))
        if found is None:
            raise NotFound(
                f"no measure {key}", code=RECORD_NOT_FOUND, params={"id": str(key)}
            ) from None
        return found


def get_measure(session: Session, principal: Principal, measure_id: uuid.UUID) -> Measure:
    require(principal, Permission.MEASURES_READ)
    measure = session.get(Measure, measure_id)
    if measure is None:
        raise NotFound(
            f"no measure {measure_id}", code=RECORD_NOT_FOUND, params={"id": str(measure_id)}
        )
    return measure


def list_measures(
    session: Session, principal: Principal, status: MeasureStatus | None = None
) -> list[Measure]:
    require(principal, Permission.MEASURES_READ)
    query = select(Measure).order_by(Measure.period_start.desc(), Measure.id)
    if status is not None:
        query = query.where(Measure.status == status)
    return list(session.scalars(query))


def _expect(measure: Measure, allowed: set[MeasureStatus], action: str) -> None:
    if measure.status not in allowed:
        raise Conflict(
            f"cannot {action} a measure that is {measure.status.value}",
            code=messages.WRONG_STATUS,
            params={"action": action, "status": measure.status.value},
        )


def _audit(
    session: Session, principal: Principal, action: str, measure: Measure, **details: object
) -> None:
    audit.record(
        session,
        principal,
        action,
        record_type="measure",
        record_id=measure.id,
        details={"reference": measure.reference, **details},
    )


def record_event(
    session: Session,
    measure: Measure,
    kind: MeasureEventKind,
    actor: str,
    reason: str = "",
    **details: object,
) -> MeasureEvent:
    """A decision on the measure, kept with it (the measure page tells its story from these)."""
    event = MeasureEvent(
        measure_id=measure.id, kind=kind, at=utcnow(), actor=actor, reason=reason, details=details
    )
    session.add(event)
    session.flush()
    return event


def events_of(session: Session, measure_id: uuid.UUID) -> list[MeasureEvent]:
    query = (
        select(MeasureEvent)
        .where(MeasureEvent.measure_id == measure_id)
        .order_by(MeasureEvent.at, MeasureEvent.id)
    )
    return list(session.scalars(query))


def mark_previewed(
    session: Session,
    principal: Principal,
    measure: Measure,
    preview: dict[str, object],
    reason: str = "",
) -> None:
    measure.status = MeasureStatus.PREVIEWED
    measure.previewed_at, measure.previewed_by = utcnow(), principal.actor
    measure.preview = preview
    session.flush()
    record_event(session, measure, MeasureEventKind.PREVIEWED, principal.actor, reason)
    _audit(session, principal, "measure.preview", measure, reason=reason)


def activate_measure(
    session: Session, principal: Principal, measure_id: uuid.UUID, reason: str = ""
) -> Measure:
    """Bring into force. Only a previewed measure: the officer has seen what it will touch.
    The whole register is then applied by the worker (``jobs.apply_requested``), off the
    request, whether the officer used the UI, the API or the CLI; new data is reached at once
    by the listeners."""
    require(principal, Permission.MEASURES_MANAGE)
    measure = get_measure(session, principal, measure_id)
    _expect(measure, {MeasureStatus.PREVIEWED}, "bring into force")
    measure.status = MeasureStatus.IN_FORCE
    measure.in_force_at, measure.in_force_by = utcnow(), principal.actor
    measure.apply_requested_at, measure.applied_through = measure.in_force_at, None
    session.flush()
    announced = _announce(session, measure, principal.state)
    record_event(session, measure, MeasureEventKind.ACTIVATED, principal.actor, reason)
    _audit(session, principal, "measure.activate", measure, announced_to=announced, reason=reason)
    return measure


def lift_measure(
    session: Session, principal: Principal, measure_id: uuid.UUID, reason: str
) -> Measure:
    """Lifted: it reaches no new record. What it already granted stays (documents keep their
    extended end dates, waivers stay waived); undoing a grant is an officer's decision per
    record, never a silent side effect (docs/measures.md)."""
    require(principal, Permission.MEASURES_MANAGE)
    measure = get_measure(session, principal, measure_id)
    _expect(measure, {MeasureStatus.IN_FORCE}, "lift")
    measure.status = MeasureStatus.LIFTED
    measure.lifted_at, measure.lifted_by, measure.lift_reason = utcnow(), principal.actor, reason
    measure.apply_requested_at = None  # a lifted measure reaches nothing more
    session.flush()
    announced = _announce(session, measure, principal.state)
    record_event(session, measure, MeasureEventKind.LIFTED, principal.actor, reason)
    _audit(session, principal, "measure.lift", measure, reason=reason, announced_to=announced)
    return measure


def _announce(session: Session, measure: Measure, own_state: str) -> int:
    """A signed copy for every other node on the trust list, the secretariat included, written
    to the outbox in this transaction (none when the node has no trust list yet)."""
    return routing.announce_measure(session, measure, own_state)


def plan_for(measure: Measure, today: dt.date) -> Plan:
    scope = parse_scope(measure.scope)
    actions = parse_actions(measure.actions)
    extend = actions.extend
    return Plan(
        measure_id=measure.id,
        label=f"{measure.reference} ({measure.display_title()})",
        period_start=measure.period_start,
        period_end=measure.period_end,
        extend=extend,
        extend_scope=combined(scope, extend.scope) if extend else scope,
        waivers=tuple((w, combined(scope, w.scope)) for w in actions.waivers),
        today=today,
    )


def run_pass(
    session: Session,
    measure: Measure,
    where: Slice,
    *,
    today: dt.date,
    node_state: str,
    peers: Sequence[str] | None = None,
) -> PassCounts:
    """The one pass pipeline: the measure's SQL over ``where``, then the pass listeners
    (benefits), in the caller's transaction. Every path that applies a measure comes here —
    the whole register, a chunk, or new data (``listeners``)."""
    plan = plan_for(measure, today)
    if peers is None:
        # Home states with a node on the trust list: a message for a state with none would
        # wait in the outbox for ever.
        peers = sorted(routing.home_states(session))
    whole_chunk = where.document_ids is None and where.violation_ids is None
    if whole_chunk and session.get_bind().dialect.name == "postgresql":
        # Fresh statistics of measure_effects: believed empty, it is scanned once per candidate
        # in the NOT EXISTS (measured: 12 s instead of 1 s for a chunk of 28,000 documents).
        session.execute(text("ANALYZE measure_effects"))
    counts = apply_pass(
        session.connection(), plan, where, run_at=utcnow(), node_state=node_state, peers=peers
    )
    wiring = wiring_of(session)
    for listener in wiring.listeners.of(MEASURE_PASSED) if wiring else ():
        listener(session, measure, plan, where)
    return counts


def apply_measure(
    session: Session,
    principal: Principal,
    measure_id: uuid.UUID,
    *,
    today: dt.date,
    peers: Sequence[str] | None = None,
) -> PassCounts:
    """The whole register in one pass, in the caller's transaction (SQLite; the API)."""
    require(principal, Permission.MEASURES_MANAGE)
    measure = get_measure(session, principal, measure_id)
    _expect(measure, {MeasureStatus.IN_FORCE}, "apply")
    counts = run_pass(
        session, measure, Slice(), today=today, node_state=principal.state, peers=peers
    )
    measure.applied_at, measure.applied_through = utcnow(), None
    measure.apply_requested_at = None
    session.flush()
    _record_applied(session, principal, measure, counts, chunks=1)
    return counts


def _record_applied(
    session: Session, principal: Principal, measure: Measure, counts: PassCounts, *, chunks: int
) -> None:
    record_event(
        session,
        measure,
        MeasureEventKind.APPLIED,
        principal.actor,
        documents_extended=counts.documents,
        violations_waived=counts.violations,
        messages_written=counts.messages,
        chunks=chunks,
    )


def _audit_pass(
    session: Session, principal: Principal, measure: Measure, counts: PassCounts
) -> None:
    _audit(
        session,
        principal,
        "measure.apply",
        measure,
        documents_extended=counts.documents,
        messages_written=counts.messages,
        violations_waived=counts.violations,
    )


def apply_chunked(
    factory: sessionmaker[Session],
    principal: Principal,
    measure_id: uuid.UUID,
    *,
    today: dt.date,
    chunk_persons: int = 100_000,
    peers: Sequence[str] | None = None,
    progress: Callable[[int, PassCounts], None] | None = None,
) -> tuple[PassCounts, int]:
    """Chunks of ``chunk_persons`` persons in id order, one transaction each; the measure
    records the last person id done, and a new run starts after it. Returns totals and the
    number of chunks run."""
    total, chunks = PassCounts(), 0
    with unit_of_work(factory) as session:
        require(principal, Permission.MEASURES_MANAGE)
        measure = get_measure(session, principal, measure_id)
        _expect(measure, {MeasureStatus.IN_FORCE}, "apply")
        lower = measure.applied_through
    while True:
        with unit_of_work(factory) as session:
            upper = _chunk_end(session, lower, chunk_persons)
            measure = get_measure(session, principal, measure_id)
            where = Slice(person_from=lower, person_to=upper)
            counts = run_pass(
                session, measure, where, today=today, node_state=principal.state, peers=peers
            )
            measure.applied_through = upper
            total.add(counts)
            chunks += 1
            if upper is None:
                measure.applied_at, measure.apply_requested_at = utcnow(), None
                _record_applied(session, principal, measure, total, chunks=chunks)
            session.flush()
            _audit_pass(session, principal, measure, counts)
        if progress is not None:
            progress(chunks, counts)
        if upper is None:
            return total, chunks
        lower = upper


def _chunk_end(session: Session, lower: uuid.UUID | None, size: int) -> uuid.UUID | None:
    """The first person id of the next chunk (exclusive end of this one), None at the end."""
    query = select(Person.id).order_by(Person.id).offset(size).limit(1)
    if lower is not None:
        query = query.where(Person.id >= lower)
    return session.scalar(query)
