"""The terms of the scope language: an immutable tree of clauses (parsed by ``scope.py``,
compiled to SQL by ``scope_sql.py``, explained row by row by ``scope_explain.py``).

Every node is a frozen dataclass of tuples, so a scope is hashable and two scopes parsed from
the same data compare equal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kervan.errors import FieldError, InvalidInput
from kervan.registry.codes import MEMBER_STATES

# A named group usable among nationality codes; kept by name (not expanded) so that a stored
# measure says what its author wrote.
NATIONALITY_GROUPS: dict[str, tuple[str, ...]] = {"member_states": MEMBER_STATES}

# ICAO 9303 codes for stateless persons and refugees: part of the derived "vulnerable" marker.
STATELESS_OR_REFUGEE = ("XXA", "XXB", "XXC")
MINOR_BELOW = 18
ELDERLY_FROM = 65


class ScopeError(InvalidInput):
    """A scope that cannot be parsed; ``errors`` name each problem by its path in the file,
    e.g. ``scope.all[1].expires_between.from``."""

    def __init__(self, errors: list[FieldError]):
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(
            f"invalid scope: {first.field}: {first.message}{more}",
            code="measures.invalid-scope",  # kervan.measures.messages.INVALID_SCOPE
            errors=errors,
        )


@dataclass(frozen=True)
class AllOf:
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class AnyOf:
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Not:
    clause: Clause


@dataclass(frozen=True)
class Nationality:
    """Person's nationality among codes (or named groups such as ``member_states``)."""

    values: tuple[str, ...]

    def codes(self) -> tuple[str, ...]:
        out: list[str] = []
        for value in self.values:
            out.extend(NATIONALITY_GROUPS.get(value, (value,)))
        return tuple(sorted(set(out)))


@dataclass(frozen=True)
class DocumentKind:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Purpose:
    values: tuple[str, ...]


@dataclass(frozen=True)
class DocumentStatus:
    values: tuple[str, ...]


@dataclass(frozen=True)
class ExpiresBetween:
    """The document's ``valid_until`` in [start, end], both inclusive."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class PresentOn:
    """The person holds an active stay document valid on the day (any of their documents)."""

    day: dt.date


@dataclass(frozen=True)
class Age:
    """Age in whole years on ``on`` (default: the day the scope is evaluated), within
    [minimum, maximum]; either bound may be absent."""

    minimum: int | None
    maximum: int | None
    on: dt.date | None


@dataclass(frozen=True)
class Vulnerable:
    """Derived marker (the register has no vulnerability field yet): a minor, a person aged 65
    or more, or a stateless person or refugee by ICAO code."""

    value: bool


Clause = (
    AllOf
    | AnyOf
    | Not
    | Nationality
    | DocumentKind
    | Purpose
    | DocumentStatus
    | ExpiresBetween
    | PresentOn
    | Age
    | Vulnerable
)
DOCUMENT_CLAUSES = (DocumentKind, Purpose, DocumentStatus, ExpiresBetween)


@dataclass(frozen=True)
class Scope:
    """A parsed, validated scope. ``root`` None means "everything"."""

    root: Clause | None = None

    @property
    def has_document_clauses(self) -> bool:
        return self.root is not None and _mentions_documents(self.root)

    @property
    def needs_person_columns(self) -> bool:
        """Whether the compiled SQL reads ``persons`` (else the join may be skipped)."""
        return self.root is not None and _mentions(self.root, (Age, Vulnerable))


def _children(clause: Clause) -> tuple[Clause, ...]:
    if isinstance(clause, AllOf | AnyOf):
        return clause.clauses
    if isinstance(clause, Not):
        return (clause.clause,)
    return ()


def _mentions(clause: Clause, kinds: tuple[type, ...]) -> bool:
    return isinstance(clause, kinds) or any(_mentions(c, kinds) for c in _children(clause))


def _mentions_documents(clause: Clause) -> bool:
    return _mentions(clause, DOCUMENT_CLAUSES)


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def birth_key(year: int, month: int | None, day: int | None) -> tuple[int, int, int]:
    """An unknown month or day counts as the 1st (the usual administrative convention), so an
    incomplete date of birth gives the oldest possible age."""
    return (year, month or 1, day or 1)


def age_on(year: int, month: int | None, day: int | None, on: dt.date) -> int:
    _, m, d = birth_key(year, month, day)
    return on.year - year - ((m, d) > (on.month, on.day))
