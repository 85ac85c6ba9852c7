"""The report's counts, each one ``GROUP BY`` over the register (no person is read into
Python): who is present on the reference date and in what standing, what happened to documents
in the period, violations, benefits, and the measures in force with how many they reach.

*Present* counts persons, each by their principal stay document (the active one ending last,
else the one ending last), so that the categories of a dimension add up to the total. Its
standing on the reference date *R*:

- ``valid``: active, valid on *R* by its own dates before any measure;
- ``covered``: active and valid on *R* only because a measure extended it (the end date before
  any measure is ``kervan.measures.reach``'s rule, the one every other path uses);
- ``overstaying``: active but ended before *R*, or revoked;
- ``departed``: cancelled within the period (the register records a departure as the
  cancellation of the stay document); cancelled earlier, the person is no longer counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select, text, tuple_
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.orm import Session

from kervan.benefits.enums import ApplicationStatus
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.measures import reach
from kervan.measures.models import Measure, MeasureEffect, MeasureStatus
from kervan.registry.enums import StayEventKind, StayStatus
from kervan.registry.models import Person, StayDocument, StayDocumentEvent, Violation
from kervan.reports.period import Period
from kervan.reports.tables import Key

STANDINGS = ("valid", "covered", "overstaying", "departed")
AGE_BANDS = ("0-17", "18-34", "35-54", "55+")
FLOWS = ("issued", "extended", "closed")
NO_REGION = "_U"  # SDMX's "unknown": a document without a region is counted, never dropped


def _counts(session: Session, query: Select[Any] | Any) -> dict[Key, int]:
    return {tuple(str(v) for v in row[:-1]): int(row[-1]) for row in session.execute(query)}


def _cancelled_in(period: Period) -> Any:
    """The documents cancelled within the period (the register's departures), for an outer
    join: a join, unlike a correlated ``EXISTS``, lets PostgreSQL's parallel workers work out
    each document's standing."""
    return (
        select(StayDocumentEvent.document_id)
        .where(
            StayDocumentEvent.kind == StayEventKind.CANCELLED,
            StayDocumentEvent.at >= period.start_at,
            StayDocumentEvent.at < period.end_at,
        )
        .group_by(StayDocumentEvent.document_id)
        .subquery("cancelled")
    )


def _standing(period: Period, base: Any, departed: Any) -> Any:
    reference = period.reference_date
    active = StayDocument.status == StayStatus.ACTIVE
    return case(
        (and_(active, StayDocument.valid_until >= reference, base >= reference), "valid"),
        (and_(active, StayDocument.valid_until >= reference), "covered"),
        (active, "overstaying"),
        (StayDocument.status == StayStatus.REVOKED, "overstaying"),
        (departed, "departed"),
        else_=None,
    )


def _age_band(reference_year: int) -> Any:
    age = literal(reference_year) - Person.birth_year
    return case((age < 18, "0-17"), (age < 35, "18-34"), (age < 55, "35-54"), else_="55+")


def _principal_documents(period: Period, *, distinct_on: bool) -> Any:
    """One row per person present or departed: their principal document's nationality, kind
    and standing. On PostgreSQL ``DISTINCT ON`` over one sort (its planner then knows there is
    a row per person, and joins the persons by a merge or a hash rather than a lookup each);
    elsewhere the first row by ``row_number()``."""
    bases = reach.bases_subquery()
    base = func.coalesce(bases.c.base, StayDocument.valid_until)
    cancelled = _cancelled_in(period)
    order = (
        case((StayDocument.status == StayStatus.ACTIVE, 0), else_=1),
        StayDocument.valid_until.desc(),
        StayDocument.id.desc(),
    )
    query = (
        select(
            StayDocument.person_id,
            StayDocument.nationality,
            StayDocument.kind,
            StayDocument.region,
            _standing(period, base, cancelled.c.document_id.is_not(None)).label("standing"),
        )
        .outerjoin(bases, bases.c.document_id == StayDocument.id)
        .outerjoin(cancelled, cancelled.c.document_id == StayDocument.id)
        .where(StayDocument.valid_from <= period.reference_date)
    )
    if distinct_on:
        ordered = query.ext(pg.distinct_on(StayDocument.person_id))
        ordered = ordered.order_by(StayDocument.person_id, *order)
        return ordered.subquery("principal")
    rank = func.row_number().over(partition_by=StayDocument.person_id, order_by=order)
    ranked = query.add_columns(rank.label("rank")).subquery("ranked")
    r = ranked.c
    return (
        select(r.person_id, r.nationality, r.kind, r.region, r.standing)
        .where(r.rank == 1)
        .subquery("principal")
    )


@dataclass(frozen=True)
class Presence:
    """The persons present, counted once by their principal document, in three linked tables
    (they publish the same nationality totals)."""

    by_standing: dict[Key, int]  # nationality × standing × kind
    by_person: dict[Key, int]  # nationality × sex × age band
    by_region: dict[Key, int]  # nationality × region (NO_REGION when not recorded)


# GROUPING(standing, sex) of a row → its table and the columns of its key: 1 (sex absent)
# by standing, 2 (standing absent) by person, 3 (both absent) by region.
_GROUPING_SETS = {
    1: ("by_standing", (0, 1, 2)),
    2: ("by_person", (0, 3, 4)),
    3: ("by_region", (0, 5)),
}


def presence(session: Session, period: Period) -> Presence:
    """The persons present: one pass over the principal documents on PostgreSQL (``GROUPING
    SETS``), one query per table on SQLite."""
    postgresql = session.get_bind().dialect.name == "postgresql"
    principal = _principal_documents(period, distinct_on=postgresql)
    age = _age_band(period.reference_date.year).label("age")
    counted = (
        select(
            principal.c.nationality,
            principal.c.standing,
            principal.c.kind,
            Person.sex,
            age,
            func.coalesce(principal.c.region, NO_REGION).label("region"),
        )
        .join(Person, Person.id == principal.c.person_id)
        .where(principal.c.standing.is_not(None))
        .cte("counted")
    )
    c = counted.c
    sets = {
        "by_standing": (c.nationality, c.standing, c.kind),
        "by_person": (c.nationality, c.sex, c.age),
        "by_region": (c.nationality, c.region),
    }
    if not postgresql:
        return Presence(
            **{
                name: _counts(session, select(*dims, func.count()).group_by(*dims))
                for name, dims in sets.items()
            }
        )
    # A cost estimate past the default threshold turns JIT on: seconds of compiling for a
    # query that runs once a week. The sort by person is the query's one big step: memory
    # enough keeps most of it off the disk.
    session.execute(text("SET LOCAL jit = off"))
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    columns = (c.nationality, c.standing, c.kind, c.sex, c.age, c.region)
    # Which grouping set a row belongs to: GROUPING() of the columns that tell them apart.
    which = func.grouping(c.standing, c.sex).label("which")
    rows = session.execute(
        select(*columns, which, func.count()).group_by(
            func.grouping_sets(*(tuple_(*dims) for dims in sets.values()))
        )
    ).all()
    found: dict[str, dict[Key, int]] = {name: {} for name in sets}
    for row in rows:
        name, positions = _GROUPING_SETS[int(row[6])]
        found[name][tuple(str(row[i]) for i in positions)] = int(row[7])
    return Presence(**found)


def document_flows(session: Session, period: Period) -> dict[Key, int]:
    """nationality × kind × (issued, extended, closed) of the period's document events."""
    flow = case(
        (StayDocumentEvent.kind == StayEventKind.ISSUED, "issued"),
        (StayDocumentEvent.kind == StayEventKind.EXTENDED, "extended"),
        else_="closed",
    ).label("flow")
    query = (
        select(StayDocument.nationality, StayDocument.kind, flow, func.count())
        .join(StayDocument, StayDocument.id == StayDocumentEvent.document_id)
        .where(
            StayDocumentEvent.at >= period.start_at,
            StayDocumentEvent.at < period.end_at,
            StayDocumentEvent.kind != StayEventKind.CORRECTED,
        )
        .group_by(StayDocument.nationality, StayDocument.kind, flow)
    )
    return _counts(session, query)


def violations(session: Session, period: Period) -> dict[Key, int]:
    """nationality × kind × status of the violations recorded in the period."""
    query = (
        select(Violation.nationality, Violation.kind, Violation.status, func.count())
        .where(Violation.recorded_at >= period.start_at, Violation.recorded_at < period.end_at)
        .group_by(Violation.nationality, Violation.kind, Violation.status)
    )
    return _counts(session, query)


def benefits(session: Session, period: Period) -> dict[Key, int]:
    """nationality × benefit kind of the benefits granted in the period."""
    query = (
        select(BenefitApplication.nationality, BenefitKind.code, func.count())
        .join(BenefitKind, BenefitKind.id == BenefitApplication.kind_id)
        .where(
            BenefitApplication.status == ApplicationStatus.APPROVED,
            BenefitApplication.decided_at >= period.start_at,
            BenefitApplication.decided_at < period.end_at,
        )
        .group_by(BenefitApplication.nationality, BenefitKind.code)
    )
    return _counts(session, query)


def measures_reach(session: Session, period: Period) -> dict[Key, int]:
    """Each measure in force on the reference date: the persons it reached so far."""
    reached = func.count(MeasureEffect.person_id.distinct())
    query = (
        select(Measure.reference, reached)
        .outerjoin(MeasureEffect, MeasureEffect.measure_id == Measure.id)
        .where(
            Measure.status == MeasureStatus.IN_FORCE,
            Measure.period_start <= period.reference_date,
            Measure.period_end >= period.reference_date,
        )
        .group_by(Measure.reference)
    )
    return _counts(session, query)


def benefit_names(session: Session, codes: Iterable[str]) -> dict[str, dict[str, str]]:
    """{code: {language: name}} of the benefit kinds ``codes`` (the names officers gave)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = session.execute(
        select(BenefitKind.code, BenefitKind.names).where(BenefitKind.code.in_(wanted))
    )
    return {str(code): dict(names or {}) for code, names in rows}


def measure_titles(session: Session, references: Iterable[str]) -> dict[str, dict[str, str]]:
    """{reference: {language: title}} of the measures ``references``."""
    wanted = sorted(set(references))
    if not wanted:
        return {}
    rows = session.execute(
        select(Measure.reference, Measure.title).where(Measure.reference.in_(wanted))
    )
    return {str(reference): dict(title or {}) for reference, title in rows}
