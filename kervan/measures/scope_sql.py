"""Compiling a scope to one SQL predicate, so that a measure reaches the register in set-based
statements and never by testing rows in Python.

``compile_scope`` is a predicate over ``stay_documents`` joined to ``persons`` on
``person_id``; ``compile_person_scope`` is one over ``persons`` alone, true when the person
matches and, if the scope speaks of documents, one of their documents matches it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, not_, or_, select, true
from sqlalchemy.orm import aliased

from kervan.measures.reach import base_until_sql
from kervan.measures.scope_terms import (
    ELDERLY_FROM,
    MINOR_BELOW,
    STATELESS_OR_REFUGEE,
    Age,
    AllOf,
    AnyOf,
    Clause,
    DocumentKind,
    DocumentStatus,
    ExpiresBetween,
    Nationality,
    Not,
    PresentOn,
    Purpose,
    Scope,
    Vulnerable,
    years_before,
)
from kervan.registry.enums import StayKind, StayPurpose, StayStatus
from kervan.registry.models import Person, StayDocument


@dataclass(frozen=True)
class _Columns:
    document: Any  # StayDocument or an alias of it; None when compiling over persons alone
    nationality: Any
    person_id: Any
    today: dt.date
    valid_until: Any = None  # the document's end date to judge by, if not its own column


def compile_scope(scope: Scope, *, today: dt.date, valid_until: Any = None) -> ColumnElement[bool]:
    """Predicate over ``StayDocument`` joined to ``Person``. Nationality is read from the
    document's denormalised copy, so a scope without age clauses needs no join at all
    (``scope.needs_person_columns`` says whether it does). ``valid_until`` replaces the
    document's end date in ``expires_between`` (measures judge by the end date before any
    measure, see ``apply_sql``)."""
    if scope.root is None:
        return true()
    cols = _Columns(
        StayDocument, StayDocument.nationality, StayDocument.person_id, today, valid_until
    )
    return _compile(scope.root, cols)


def compile_person_scope(scope: Scope, *, today: dt.date) -> ColumnElement[bool]:
    """Predicate over ``Person`` alone; document clauses become one ``EXISTS`` over the
    person's documents (the whole scope must hold for one and the same document)."""
    if scope.root is None:
        return true()
    if not scope.has_document_clauses:
        return _compile(scope.root, _Columns(None, Person.nationality, Person.id, today))
    document = aliased(StayDocument)
    # The person as ``document.person_id`` (equal to Person.id here): an EXISTS nested in this
    # one (present_on) then correlates with the document's FROM one level up; naming Person.id
    # two levels down left it uncorrelated on SQLAlchemy 2.1 (any person's document matched).
    cols = _Columns(document, Person.nationality, document.person_id, today)
    return exists(select(1).where(document.person_id == Person.id, _compile(scope.root, cols)))


def _compile(clause: Clause, cols: _Columns) -> ColumnElement[bool]:
    match clause:
        case AllOf(clauses):
            return and_(*(_compile(c, cols) for c in clauses))
        case AnyOf(clauses):
            return or_(*(_compile(c, cols) for c in clauses))
        case Not(inner):
            return not_(_compile(inner, cols))
        case Nationality():
            return cols.nationality.in_(clause.codes())
        case DocumentKind(values):
            return _document(cols).kind.in_([StayKind(v) for v in values])
        case Purpose(values):
            return _document(cols).purpose.in_([StayPurpose(v) for v in values])
        case DocumentStatus(values):
            return _document(cols).status.in_([StayStatus(v) for v in values])
        case ExpiresBetween(start, end):
            until = (
                cols.valid_until if cols.valid_until is not None else _document(cols).valid_until
            )
            return until.between(start, end)
        case PresentOn(day):
            return _present_on(day, cols)
        case Age(low, high, on):
            return _age_between(low, high, on or cols.today)
        case Vulnerable(value):
            marker = _vulnerable(cols.today)
            return marker if value else not_(marker)
    raise TypeError(clause)  # pragma: no cover - every clause type is matched above


def _document(cols: _Columns) -> Any:
    if cols.document is None:  # pragma: no cover - guarded by has_document_clauses
        raise ValueError("a document clause compiled without documents")
    return cols.document


def _present_on(day: dt.date, cols: _Columns) -> ColumnElement[bool]:
    other = aliased(StayDocument)
    return exists(
        select(1).where(
            other.person_id == cols.person_id,
            other.status == StayStatus.ACTIVE,
            other.valid_from <= day,
            base_until_sql(other) >= day,
        )
    )


def _born_on_or_before(day: dt.date) -> ColumnElement[bool]:
    # Unknown month or day count as the 1st, as in scope_terms.birth_key.
    month = func.coalesce(Person.birth_month, 1)
    mday = func.coalesce(Person.birth_day, 1)
    in_year = (month < day.month) | ((month == day.month) & (mday <= day.day))
    return (Person.birth_year < day.year) | ((Person.birth_year == day.year) & in_year)


def _age_at_least(years: int, on: dt.date) -> ColumnElement[bool]:
    return _born_on_or_before(years_before(on, years))


def _age_between(low: int | None, high: int | None, on: dt.date) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    if low is not None:
        parts.append(_age_at_least(low, on))
    if high is not None:
        parts.append(not_(_age_at_least(high + 1, on)))
    return and_(*parts) if parts else true()


def _vulnerable(today: dt.date) -> ColumnElement[bool]:
    return or_(
        not_(_age_at_least(MINOR_BELOW, today)),
        _age_at_least(ELDERLY_FROM, today),
        Person.nationality.in_(STATELESS_OR_REFUGEE),
    )
