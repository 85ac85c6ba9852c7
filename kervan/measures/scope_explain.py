"""Explaining a scope for one person and document: each clause, whether it matched, and the
values it saw. Evaluates the same tree as ``scope_sql`` with the same rules (a property test
checks that the two agree on generated registers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kervan.errors import Coded
from kervan.measures import messages as codes
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
    age_on,
)
from kervan.registry.enums import StayStatus
from kervan.registry.models import Person, StayDocument


@dataclass(frozen=True)
class ClauseResult:
    """One clause of a scope as evaluated: ``clause`` is readable text, ``path`` where it sits
    in the scope (``scope.all[1]``). The first result of a list is the whole scope's verdict."""

    clause: str
    matched: bool
    saw: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    code: str = ""  # the clause's sentence in the catalog (``kervan.measures.messages``)
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "code": self.code,
            "params": self.params,
            "matched": self.matched,
            "saw": self.saw,
            "path": self.path,
        }


@dataclass
class _Context:
    person: Person
    document: StayDocument | None
    today: dt.date
    out: list[ClauseResult]
    valid_until: dt.date | None = None
    bases: Mapping[Any, dt.date] | None = None


def explain_scope(
    scope: Scope,
    person: Person,
    document: StayDocument | None,
    *,
    today: dt.date,
    valid_until: dt.date | None = None,
    bases: Mapping[Any, dt.date] | None = None,
) -> list[ClauseResult]:
    """Pre-order list of results, root first. Without a document, a scope that speaks of
    documents does not match (as ``compile_person_scope`` needs one matching document).
    ``valid_until`` is the end date to judge the document by, as in ``compile_scope``;
    ``bases`` the same for each of the person's documents (by id), for ``present_on``."""
    if scope.root is None:
        return [ClauseResult("everything (no scope)", True, {}, "scope", codes.EVERYONE)]
    ctx = _Context(person, document, today, [], valid_until, bases)
    _evaluate(scope.root, "scope", ctx)
    if document is None and scope.has_document_clauses:
        root = ctx.out[0]
        saw = {**root.saw, "document": None}
        ctx.out[0] = ClauseResult(root.clause, False, saw, root.path, root.code, root.params)
    return ctx.out


def _evaluate(clause: Clause, path: str, ctx: _Context) -> bool:
    index = len(ctx.out)
    ctx.out.append(ClauseResult("", False))  # placeholder: the parent precedes its children
    said, matched, saw = _leaf_or_group(clause, path, ctx)
    ctx.out[index] = ClauseResult(said.text, matched, saw, path, said.code, said.params)
    return matched


def _leaf_or_group(clause: Clause, path: str, ctx: _Context) -> tuple[Coded, bool, dict[str, Any]]:
    match clause:
        case AllOf(clauses):
            results = [_evaluate(c, f"{path}.all[{i}]", ctx) for i, c in enumerate(clauses)]
            said = Coded("all of", codes.ALL_OF)
            return said, all(results), {"matched": sum(results), "of": len(results)}
        case AnyOf(clauses):
            results = [_evaluate(c, f"{path}.any[{i}]", ctx) for i, c in enumerate(clauses)]
            said = Coded("any of", codes.ANY_OF)
            return said, any(results), {"matched": sum(results), "of": len(results)}
        case Not(inner):
            return Coded("not", codes.NOT), not _evaluate(inner, f"{path}.not", ctx), {}
    return _leaf(clause, ctx)


def _among(english: str, code: str, key: str, values: tuple[str, ...]) -> Coded:
    return Coded(f"{english} in {', '.join(values)}", code, {key: list(values)})


def _leaf(clause: Clause, ctx: _Context) -> tuple[Coded, bool, dict[str, Any]]:
    person, document = ctx.person, ctx.document
    match clause:
        case Nationality(values):
            seen = document.nationality if document is not None else person.nationality
            said = _among("nationality", codes.NATIONALITY, "nationalities", values)
            return said, seen in clause.codes(), {"nationality": seen}
        case DocumentKind(values):
            said = _among("document kind", codes.DOCUMENT_KIND, "kinds", values)
            return _document_leaf(said, values, "kind", ctx)
        case Purpose(values):
            said = _among("purpose", codes.PURPOSE, "purposes", values)
            return _document_leaf(said, values, "purpose", ctx)
        case DocumentStatus(values):
            said = _among("document status", codes.DOCUMENT_STATUS, "statuses", values)
            return _document_leaf(said, values, "status", ctx)
        case ExpiresBetween(start, end):
            said = Coded(
                f"document expires between {start} and {end}",
                codes.EXPIRES_BETWEEN,
                {"start": start.isoformat(), "end": end.isoformat()},
            )
            if document is None:
                return said, False, {"document": None}
            until = ctx.valid_until or document.valid_until
            return said, start <= until <= end, {"valid_until": until.isoformat()}
        case PresentOn(day):
            return _present_on(day, ctx)
        case Age(low, high, on):
            return _age(low, high, on or ctx.today, person)
        case Vulnerable(value):
            return _vulnerable(value, ctx)
    raise TypeError(clause)  # pragma: no cover - every clause type is matched above


def _document_leaf(
    said: Coded, values: tuple[str, ...], attribute: str, ctx: _Context
) -> tuple[Coded, bool, dict[str, Any]]:
    if ctx.document is None:
        return said, False, {"document": None}
    seen = str(getattr(ctx.document, attribute))
    return said, seen in values, {attribute: seen}


def _present_on(day: dt.date, ctx: _Context) -> tuple[Coded, bool, dict[str, Any]]:
    valid = sorted(
        d.number
        for d in ctx.person.stay_documents
        if d.status is StayStatus.ACTIVE
        and d.valid_from <= day <= (ctx.bases or {}).get(d.id, d.valid_until)
    )
    said = Coded(f"present in the country on {day}", codes.PRESENT_ON, {"date": day.isoformat()})
    return said, bool(valid), {"documents_valid_on_day": valid}


def _birth_text(person: Person) -> str:
    month = f"{person.birth_month:02d}" if person.birth_month else "??"
    day = f"{person.birth_day:02d}" if person.birth_day else "??"
    return f"{person.birth_year:04d}-{month}-{day}"


def _age(
    low: int | None, high: int | None, on: dt.date, person: Person
) -> tuple[Coded, bool, dict[str, Any]]:
    age = age_on(person.birth_year, person.birth_month, person.birth_day, on)
    matched = (low is None or age >= low) and (high is None or age <= high)
    bounds = f"{low if low is not None else 0}–{high if high is not None else '…'}"
    saw = {"birth_date": _birth_text(person), "age": age, "on": on.isoformat()}
    params = {"low": low if low is not None else 0, "high": high if high is not None else "…"}
    said = Coded(f"age {bounds} on {on}", codes.AGE, {**params, "date": on.isoformat()})
    return said, matched, saw


def _vulnerable(value: bool, ctx: _Context) -> tuple[Coded, bool, dict[str, Any]]:
    person = ctx.person
    age = age_on(person.birth_year, person.birth_month, person.birth_day, ctx.today)
    markers = {
        "minor": age < MINOR_BELOW,
        "elderly": age >= ELDERLY_FROM,
        "stateless_or_refugee": person.nationality in STATELESS_OR_REFUGEE,
    }
    saw = {"age": age, "nationality": person.nationality, **markers}
    said = (
        Coded("vulnerable", codes.VULNERABLE)
        if value
        else Coded("not vulnerable", codes.NOT_VULNERABLE)
    )
    return said, any(markers.values()) is value, saw
