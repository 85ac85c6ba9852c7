"""Applying a measure to (part of) the register in set-based SQL: a handful of statements per
pass, whatever the number of documents, and never a Python loop over rows.

One pass, in the caller's transaction:
1. ``INSERT INTO measure_effects … SELECT`` the documents the measure extends (in scope, active,
   not already extended by it, and ending before its target);
2. ``UPDATE stay_documents`` from those effects;
3. ``INSERT INTO stay_document_events … SELECT`` one "extended by measure" row per document;
4. ``INSERT INTO outbox_messages … SELECT`` one ``stay.extended`` message per affected person
   for their home state;
5. ``INSERT INTO outbox_messages … SELECT`` one ``violation.waived`` message per person whose
   violations it is about to waive, for their home state (before the update: afterwards this
   pass's waivers could not be told from earlier ones);
6. ``UPDATE violations`` to waive those the measure waives.

Scopes judge a document by its end date *before any measure* (the smallest ``old_until`` of
its effects, else its own), so measures reach the same documents in whatever order they came
into force, and a document's end date becomes the latest any of them grants."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.engine import Dialect

from kervan.db.base import UTCDateTime
from kervan.db.ids import uuid7_sql
from kervan.exchange import outbox
from kervan.measures.actions import Extend, Waive
from kervan.measures.models import MeasureEffect
from kervan.measures.reach import Slice, bases_subquery
from kervan.measures.scope import compile_person_scope, compile_scope
from kervan.measures.scope_terms import Scope
from kervan.measures.sqlparts import add_days_sql, json_array_agg_sql, json_object_sql
from kervan.registry.enums import StayStatus, ViolationStatus
from kervan.registry.models import Person, StayDocument, StayDocumentEvent, Violation


@dataclass(frozen=True)
class Plan:
    """A measure's parsed content, as apply and preview need it."""

    measure_id: uuid.UUID
    label: str  # "KAZ-2020-03 (State of emergency …)"
    period_start: dt.date
    period_end: dt.date
    extend: Extend | None
    extend_scope: Scope
    waivers: tuple[tuple[Waive, Scope], ...]
    today: dt.date


@dataclass
class PassCounts:
    documents: int = 0
    messages: int = 0
    violations: int = 0

    def add(self, other: PassCounts) -> None:
        self.documents += other.documents
        self.messages += other.messages
        self.violations += other.violations


def target_sql(plan: Plan, dialect: Dialect, base: Any) -> Any:
    assert plan.extend is not None
    fixed = plan.extend.fixed_target(plan.period_end)
    if fixed is not None:
        return literal(fixed, StayDocument.valid_until.type)
    return add_days_sql(dialect, base, plan.extend.by_days or 0)


def extension_candidates(plan: Plan, dialect: Dialect, where: Slice) -> Select[*tuple[Any, ...]]:
    """document_id, person_id, nationality, old_until, new_until, base_until of every document
    this measure would extend now. Two branches, so that the common case (no measure touched
    the document yet) is a plain indexed range on ``valid_until``."""
    doc = StayDocument
    effects = MeasureEffect.__table__
    # Read the slice's earlier effects once (MATERIALIZED on PostgreSQL): a plain subquery
    # may be planned as a scan of measure_effects per candidate, over a table this very
    # statement is growing (measured: 12 s instead of 1 s for 28,000 documents).
    # (SQLite plans this well as a subquery, and Python's sqlite3 reports no row count for a
    # statement that begins with WITH.)
    earlier = select(effects.c.document_id, effects.c.measure_id, effects.c.old_until).where(
        where.on(effects.c.person_id, effects.c.document_id)
    )
    prior = (
        earlier.cte("prior").prefix_with("MATERIALIZED")
        if dialect.name == "postgresql"
        else earlier.subquery("prior")
    )
    fresh = _branch(plan, dialect, where, doc.valid_until).where(
        ~exists().where(prior.c.document_id == doc.id)
    )
    bases = (
        select(prior.c.document_id, func.min(prior.c.old_until).label("base"))
        .group_by(prior.c.document_id)
        .subquery("bases")
    )
    touched = (
        _branch(plan, dialect, where, bases.c.base)
        .join_from(doc, bases, bases.c.document_id == doc.id)
        .where(
            ~exists().where(prior.c.document_id == doc.id, prior.c.measure_id == plan.measure_id)
        )
    )
    return union_all(fresh, touched)  # type: ignore[return-value]


def _branch(plan: Plan, dialect: Dialect, where: Slice, base: Any) -> Select[*tuple[Any, ...]]:
    doc = StayDocument
    target = target_sql(plan, dialect, base)
    query = select(
        doc.id.label("document_id"),
        doc.person_id.label("person_id"),
        doc.nationality.label("nationality"),
        doc.valid_until.label("old_until"),
        target.label("new_until"),
        base.label("base_until"),
    ).select_from(doc)
    if plan.extend_scope.needs_person_columns:
        query = query.join(Person, Person.id == doc.person_id)
    return query.where(
        where.on(doc.person_id, doc.id),
        doc.status == StayStatus.ACTIVE,
        compile_scope(plan.extend_scope, today=plan.today, valid_until=base),
        target > doc.valid_until,
    )


def waiver_condition(plan: Plan, waive: Waive, scope: Scope, where: Slice) -> ColumnElement[bool]:
    start, end = waive.window(plan.period_start, plan.period_end)
    condition = and_(
        Violation.status == ViolationStatus.RECORDED,
        Violation.kind.in_(waive.kinds),
        Violation.period_start <= end,
        or_(Violation.period_end.is_(None), Violation.period_end >= start),
        where.on(Violation.person_id, Violation.document_id, Violation.id),
    )
    if scope.root is not None:
        condition = and_(condition, Violation.person_id.in_(persons_in_scope(scope, plan.today)))
    return condition


def persons_in_scope(scope: Scope, today: dt.date) -> Select[*tuple[Any, ...]]:
    """Ids of persons in scope. A scope that speaks of documents holds for a person with one
    matching document, judged (like extensions) by its end date before any measure."""
    if not scope.has_document_clauses:
        return select(Person.id).where(compile_person_scope(scope, today=today))
    doc = StayDocument
    bases = bases_subquery()
    base = func.coalesce(bases.c.base, doc.valid_until)
    query = select(doc.person_id).outerjoin(bases, bases.c.document_id == doc.id)
    if scope.needs_person_columns:
        query = query.join(Person, Person.id == doc.person_id)
    return query.where(compile_scope(scope, today=today, valid_until=base))


def apply_pass(
    connection: Connection,
    plan: Plan,
    where: Slice,
    *,
    run_at: dt.datetime,
    node_state: str,
    peers: Sequence[str],
) -> PassCounts:
    counts = PassCounts()
    if plan.extend is not None:
        counts.documents = _insert_effects(connection, plan, where, run_at)
        if counts.documents:
            this_run = and_(
                MeasureEffect.measure_id == plan.measure_id,
                MeasureEffect.applied_at == run_at,
            )
            _update_documents(connection, this_run, run_at)
            _insert_events(connection, plan, this_run, run_at)
            counts.messages = _insert_messages(
                connection, plan, this_run, run_at, node_state, peers
            )
    if plan.waivers:
        conditions = [waiver_condition(plan, w, scope, where) for w, scope in plan.waivers]
        counts.messages += _insert_waiver_messages(
            connection, plan, or_(*conditions), run_at, node_state, peers
        )
        for condition in conditions:
            waived = (
                update(Violation)
                .where(condition)
                .values(status=ViolationStatus.WAIVED, waived_by_measure_id=plan.measure_id)
            )
            counts.violations += _rowcount(connection, waived)
    return counts


def _insert_effects(connection: Connection, plan: Plan, where: Slice, run_at: dt.datetime) -> int:
    found = extension_candidates(plan, connection.dialect, where).subquery("found")
    rows = select(
        literal(plan.measure_id, MeasureEffect.measure_id.type),
        found.c.document_id,
        found.c.person_id,
        found.c.nationality,
        found.c.old_until,
        found.c.new_until,
        literal(run_at, UTCDateTime()),
    )
    columns = ["measure_id", "document_id", "person_id", "nationality", "old_until", "new_until"]
    statement = insert(MeasureEffect).from_select([*columns, "applied_at"], rows)
    return _rowcount(connection, statement)


def _update_documents(connection: Connection, this_run: Any, run_at: dt.datetime) -> None:
    connection.execute(
        update(StayDocument)
        .where(MeasureEffect.document_id == StayDocument.id, this_run)
        .values(valid_until=MeasureEffect.new_until, updated_at=run_at)
    )


def _insert_events(connection: Connection, plan: Plan, this_run: Any, run_at: dt.datetime) -> None:
    dialect = connection.dialect
    rows = select(
        uuid7_sql(dialect, run_at),
        MeasureEffect.document_id,
        literal("extended"),
        literal(run_at, UTCDateTime()),
        literal(f"measure:{plan.measure_id}"),
        literal(f"extended by measure {plan.label}"),
        literal(plan.measure_id, MeasureEffect.measure_id.type),
        json_object_sql(dialect, "valid_until", MeasureEffect.old_until),
        json_object_sql(dialect, "valid_until", MeasureEffect.new_until),
    ).where(this_run)
    columns = ["id", "document_id", "kind", "at", "actor", "reason", "measure_id"]
    statement = insert(StayDocumentEvent).from_select([*columns, "old_values", "new_values"], rows)
    connection.execute(statement)


def _insert_messages(
    connection: Connection,
    plan: Plan,
    this_run: Any,
    run_at: dt.datetime,
    node_state: str,
    peers: Sequence[str],
) -> int:
    """One ``stay.extended`` message per person, to their home state if it is a peer (the
    exchange delivers only to nodes on the trust list) and not this node's own state."""
    dialect = connection.dialect
    eff = MeasureEffect
    document = json_object_sql(
        dialect,
        "document_id",
        eff.document_id,
        "old_until",
        eff.old_until,
        "new_until",
        eff.new_until,
    )
    return _insert_person_messages(
        connection,
        plan,
        "stay.extended",
        (eff.person_id, eff.nationality),
        ("documents", document),
        this_run,
        run_at,
        [p for p in peers if p != node_state],
    )


def _insert_waiver_messages(
    connection: Connection,
    plan: Plan,
    to_waive: ColumnElement[bool],
    run_at: dt.datetime,
    node_state: str,
    peers: Sequence[str],
) -> int:
    """One ``violation.waived`` message per person whose recorded violations this pass waives
    (whatever the number of waive actions that reach them), to their home state if it is a
    peer and not this node's own state. Written from the violations still ``recorded``, in the
    statement before the ``UPDATE``s that waive them; the worker fills in the rest."""
    violation = json_object_sql(connection.dialect, "violation_id", Violation.id)
    return _insert_person_messages(
        connection,
        plan,
        "violation.waived",
        (Violation.person_id, Violation.nationality),
        ("violations", violation),
        to_waive,
        run_at,
        [p for p in peers if p != node_state],
    )


def _insert_person_messages(
    connection: Connection,
    plan: Plan,
    message_type: str,
    person: tuple[Any, Any],
    items: tuple[str, Any],
    where: ColumnElement[bool],
    run_at: dt.datetime,
    recipients: Sequence[str],
) -> int:
    """One ``message_type`` outbox row per person (``person``: their id and nationality
    columns) listing the ``items`` (name, JSON per row) of the rows ``where`` selects, for
    their home state when it is among ``recipients``; the worker fills in the rest."""
    dialect = connection.dialect
    person_id, nationality = person
    body = json_object_sql(
        dialect,
        "measure_id",
        literal(str(plan.measure_id)),
        "measure",
        literal(plan.label),
        "person_id",
        person_id,
        items[0],
        json_array_agg_sql(dialect, items[1]),
    )
    rows = (
        select(
            uuid7_sql(dialect, run_at),
            literal(message_type),
            nationality,
            literal("person"),
            person_id,
            body,
            literal(run_at, UTCDateTime()),
        )
        .where(where, nationality.in_(recipients))
        .group_by(person_id, nationality)
    )
    return outbox.insert_from_select(connection, rows)


def _rowcount(connection: Connection, statement: Any) -> int:
    # SQLAlchemy reports -1 for INSERT … SELECT on psycopg unless asked to keep the count.
    result = connection.execute(statement, execution_options={"preserve_rowcount": True})
    return int(result.rowcount)
