"""The scope language of measures: which persons and stay documents a measure reaches.

A scope is YAML/JSON-shaped data, parsed and validated here into an immutable tree
(``scope_terms``), compiled to one SQL predicate (``scope_sql``) and explained clause by clause
for one person or document (``scope_explain``). The language is documented, with examples, in
``docs/measures.md``. Example::

    all:
      - nationality: [member_states, TJK]
      - document_kind: [visa, registration, work_permit]
      - expires_between: {from: 2020-03-16, to: 2020-05-15}
      - not: {purpose: diplomatic}

A mapping with several keys means all of them; ``None`` or ``{}`` means everything.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from kervan.errors import FieldError
from kervan.measures.scope_explain import ClauseResult, explain_scope
from kervan.measures.scope_sql import compile_person_scope, compile_scope
from kervan.measures.scope_terms import (
    NATIONALITY_GROUPS,
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
    ScopeError,
    Vulnerable,
)
from kervan.registry.codes import is_state_code
from kervan.registry.enums import StayKind, StayPurpose, StayStatus

__all__ = [
    "ClauseResult",
    "Scope",
    "ScopeError",
    "calendar_date",
    "compile_person_scope",
    "compile_scope",
    "explain_scope",
    "parse_scope",
    "scope_to_data",
]

MAX_AGE = 150


#: Clauses nested inside each other (``all``, ``any``, ``not``); real scopes use three or four.
MAX_DEPTH = 32


def calendar_date(value: Any) -> dt.date | None:
    """``value`` as a calendar date: a date (YAML reads an unquoted ``2026-03-01`` as one) or
    text written ``YYYY-MM-DD``; None for anything else. Scopes and actions read their dates
    through it, so that a measure file's dates mean the same in every part of it."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


class _Problems(Exception):
    """Raised inside the parser to abandon one branch; the collected errors are reported."""


class _Parser:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []
        self.depth = 0

    def fail(self, path: str, message: str) -> _Problems:
        self.errors.append(FieldError(path, message))
        return _Problems()

    def node(self, data: Any, path: str) -> Clause:
        # Compiling, explaining and storing a scope recurse over it: a bounded depth keeps a
        # hostile one (900 nested ``not``) a clear error rather than a recursion failure.
        if self.depth >= MAX_DEPTH:
            raise self.fail(path, f"the scope nests clauses more than {MAX_DEPTH} levels deep")
        self.depth += 1
        try:
            return self._node(data, path)
        finally:
            self.depth -= 1

    def _node(self, data: Any, path: str) -> Clause:
        if not isinstance(data, Mapping) or not data:
            raise self.fail(path, "expected a mapping of clauses such as {nationality: [KAZ]}")
        clauses: list[Clause] = []
        for key, value in data.items():
            try:
                clauses.append(self.clause(str(key), value, f"{path}.{key}"))
            except _Problems:
                continue
        if len(clauses) != len(data):
            raise _Problems()
        return clauses[0] if len(clauses) == 1 else AllOf(tuple(clauses))

    def clause(self, key: str, value: Any, path: str) -> Clause:
        parse = _CLAUSES.get(key)
        if parse is None:
            close = difflib.get_close_matches(key, _CLAUSES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise self.fail(path, f"unknown clause '{key}'{hint} (known: {', '.join(_CLAUSES)})")
        return parse(self, value, path)

    def nodes(self, value: Any, path: str) -> tuple[Clause, ...]:
        if not isinstance(value, list) or not value:
            raise self.fail(path, "expected a non-empty list of clauses")
        out: list[Clause] = []
        for i, item in enumerate(value):
            try:
                out.append(self.node(item, f"{path}[{i}]"))
            except _Problems:
                continue
        if len(out) != len(value):
            raise _Problems()
        return tuple(out)

    def words(
        self, value: Any, path: str, allowed: Callable[[str], bool], what: str
    ) -> tuple[str, ...]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise self.fail(path, f"expected {what} or a non-empty list of them")
        before = len(self.errors)
        for i, v in enumerate(items):
            if not isinstance(v, str) or not allowed(v):
                where = path if isinstance(value, str) else f"{path}[{i}]"
                self.errors.append(FieldError(where, f"{v!r} is not {what}"))
        if len(self.errors) > before:
            raise _Problems()
        return tuple(sorted(set(items)))

    def date(self, value: Any, path: str) -> dt.date:
        found = calendar_date(value)
        if found is None:
            raise self.fail(path, f"{value!r} is not a date (YYYY-MM-DD)")
        return found

    def try_date(self, value: Any, path: str) -> dt.date | None:
        """Like ``date``, but lets the caller check sibling fields too."""
        try:
            return self.date(value, path)
        except _Problems:
            return None

    def keys(
        self, value: Any, path: str, allowed: set[str], required: set[str]
    ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, f"expected a mapping with {', '.join(sorted(allowed))}")
        for key in value:
            if key not in allowed:
                self.errors.append(
                    FieldError(
                        f"{path}.{key}", f"unknown key; expected {', '.join(sorted(allowed))}"
                    )
                )
        for key in sorted(required - set(value)):
            self.errors.append(FieldError(f"{path}.{key}", "missing"))
        if set(value) - allowed or required - set(value):
            raise _Problems()
        return value


def _enum_test(enum: type[Any]) -> Callable[[str], bool]:
    values = {m.value for m in enum}
    return values.__contains__


def _is_nationality(code: str) -> bool:
    return code in NATIONALITY_GROUPS or (code == code.upper() and is_state_code(code))


def _all(p: _Parser, value: Any, path: str) -> Clause:
    return AllOf(p.nodes(value, path))


def _any(p: _Parser, value: Any, path: str) -> Clause:
    return AnyOf(p.nodes(value, path))


def _not(p: _Parser, value: Any, path: str) -> Clause:
    return Not(p.node(value, path))


def _nationality(p: _Parser, value: Any, path: str) -> Clause:
    what = "an ISO 3166-1 alpha-3 code in capitals or a group (member_states)"
    return Nationality(p.words(value, path, _is_nationality, what))


def _kind(p: _Parser, value: Any, path: str) -> Clause:
    what = f"a document kind ({', '.join(k.value for k in StayKind)})"
    return DocumentKind(p.words(value, path, _enum_test(StayKind), what))


def _purpose(p: _Parser, value: Any, path: str) -> Clause:
    what = f"a purpose ({', '.join(k.value for k in StayPurpose)})"
    return Purpose(p.words(value, path, _enum_test(StayPurpose), what))


def _status(p: _Parser, value: Any, path: str) -> Clause:
    what = f"a document status ({', '.join(k.value for k in StayStatus)})"
    return DocumentStatus(p.words(value, path, _enum_test(StayStatus), what))


def _expires(p: _Parser, value: Any, path: str) -> Clause:
    window = p.keys(value, path, {"from", "to"}, {"from", "to"})
    start, end = p.try_date(window["from"], f"{path}.from"), p.try_date(window["to"], f"{path}.to")
    if start is None or end is None:
        raise _Problems()
    if end < start:
        raise p.fail(f"{path}.to", f"the window ends ({end}) before it begins ({start})")
    return ExpiresBetween(start, end)


def _present(p: _Parser, value: Any, path: str) -> Clause:
    return PresentOn(p.date(value, path))


def _bound(p: _Parser, value: Any, path: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AGE:
        raise p.fail(path, f"{value!r} is not a whole number of years between 0 and {MAX_AGE}")
    return value


def _age(p: _Parser, value: Any, path: str) -> Clause:
    spec = p.keys(value, path, {"min", "max", "on"}, set())
    low = _bound(p, spec.get("min"), f"{path}.min")
    high = _bound(p, spec.get("max"), f"{path}.max")
    on = p.date(spec["on"], f"{path}.on") if spec.get("on") is not None else None
    if low is None and high is None:
        raise p.fail(path, "give min, max or both")
    if low is not None and high is not None and high < low:
        raise p.fail(f"{path}.max", f"max ({high}) is below min ({low})")
    return Age(low, high, on)


def _vulnerable(p: _Parser, value: Any, path: str) -> Clause:
    if not isinstance(value, bool):
        raise p.fail(path, f"{value!r} is not true or false")
    return Vulnerable(value)


_CLAUSES: dict[str, Callable[[_Parser, Any, str], Clause]] = {
    "all": _all,
    "any": _any,
    "not": _not,
    "nationality": _nationality,
    "document_kind": _kind,
    "purpose": _purpose,
    "document_status": _status,
    "expires_between": _expires,
    "present_on": _present,
    "age": _age,
    "vulnerable": _vulnerable,
}


def parse_scope(data: Mapping[str, Any] | None, path: str = "scope") -> Scope:
    """Parse and validate; every problem is reported at once, by its path."""
    if data is None or (isinstance(data, Mapping) and not data):
        return Scope()
    parser = _Parser()
    try:
        root = parser.node(data, path)
    except _Problems:
        raise ScopeError(parser.errors) from None
    return Scope(root)


def _clause_data(clause: Clause) -> dict[str, Any]:
    match clause:
        case AllOf(clauses):
            return {"all": [_clause_data(c) for c in clauses]}
        case AnyOf(clauses):
            return {"any": [_clause_data(c) for c in clauses]}
        case Not(inner):
            return {"not": _clause_data(inner)}
        case Nationality(values):
            return {"nationality": list(values)}
        case DocumentKind(values):
            return {"document_kind": list(values)}
        case Purpose(values):
            return {"purpose": list(values)}
        case DocumentStatus(values):
            return {"document_status": list(values)}
        case ExpiresBetween(start, end):
            return {"expires_between": {"from": start.isoformat(), "to": end.isoformat()}}
        case PresentOn(day):
            return {"present_on": day.isoformat()}
        case Age(low, high, on):
            spec = {"min": low, "max": high, "on": on.isoformat() if on else None}
            return {"age": {k: v for k, v in spec.items() if v is not None}}
        case Vulnerable(value):
            return {"vulnerable": value}
    raise TypeError(clause)  # pragma: no cover - every clause type is matched above


def scope_to_data(scope: Scope) -> dict[str, Any]:
    """The canonical JSON form (dates as text); ``parse_scope`` of it gives the same scope."""
    return {} if scope.root is None else _clause_data(scope.root)
