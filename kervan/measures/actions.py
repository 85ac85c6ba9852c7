"""The actions of a measure, as data: extend stay documents, waive violations, grant a benefit.

Each action may carry its own ``scope``, which narrows the measure's scope for that action
(the spring-2020 example extends documents expiring in the period but waives violations of
anyone). Parsed and validated like scopes, with the same error paths."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kervan.errors import FieldError
from kervan.measures.scope import ScopeError, calendar_date, parse_scope, scope_to_data
from kervan.measures.scope_terms import AllOf, Scope
from kervan.registry.enums import ViolationKind

MAX_DAYS = 3660


@dataclass(frozen=True)
class Extend:
    """Exactly one of: a fixed date, N days past the document's own end, or N days past the end
    of the measure's period."""

    to: dt.date | None = None
    by_days: int | None = None
    period_end_plus_days: int | None = None
    scope: Scope = field(default_factory=Scope)

    def fixed_target(self, period_end: dt.date) -> dt.date | None:
        if self.to is not None:
            return self.to
        if self.period_end_plus_days is not None:
            return period_end + dt.timedelta(days=self.period_end_plus_days)
        return None

    def target_for(self, base_until: dt.date, period_end: dt.date) -> dt.date:
        fixed = self.fixed_target(period_end)
        return fixed if fixed is not None else base_until + dt.timedelta(days=self.by_days or 0)


@dataclass(frozen=True)
class Waive:
    """Violations of these kinds whose period overlaps [start, end] (default: the measure's
    period), recorded and not yet paid, waived or appealed."""

    kinds: tuple[str, ...]
    start: dt.date | None = None
    end: dt.date | None = None
    scope: Scope = field(default_factory=Scope)

    def window(self, period_start: dt.date, period_end: dt.date) -> tuple[dt.date, dt.date]:
        return (self.start or period_start, self.end or period_end)


@dataclass(frozen=True)
class GrantBenefit:
    """A benefit for persons in scope; decided by the benefits context (``kervan.benefits``)."""

    kind: str
    scope: Scope = field(default_factory=Scope)
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


Action = Extend | Waive | GrantBenefit


@dataclass(frozen=True)
class Actions:
    items: tuple[Action, ...] = ()

    @property
    def extend(self) -> Extend | None:
        return next((a for a in self.items if isinstance(a, Extend)), None)

    @property
    def waivers(self) -> tuple[Waive, ...]:
        return tuple(a for a in self.items if isinstance(a, Waive))

    @property
    def benefits(self) -> tuple[GrantBenefit, ...]:
        return tuple(a for a in self.items if isinstance(a, GrantBenefit))


def combined(measure_scope: Scope, action_scope: Scope) -> Scope:
    """The scope an action reaches: the measure's and the action's own, both."""
    parts = tuple(s.root for s in (measure_scope, action_scope) if s.root is not None)
    if not parts:
        return Scope()
    return Scope(parts[0] if len(parts) == 1 else AllOf(parts))


class _ActionParser:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def err(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))

    def scope(self, spec: Mapping[str, Any], path: str) -> Scope:
        try:
            return parse_scope(spec.get("scope"), f"{path}.scope")
        except ScopeError as exc:
            self.errors.extend(exc.errors)
            return Scope()

    def days(self, value: Any, path: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_DAYS:
            self.err(path, f"{value!r} is not a whole number of days between 1 and {MAX_DAYS}")
        return value if isinstance(value, int) else None

    def date(self, value: Any, path: str) -> dt.date | None:
        if value is None:
            return None
        found = calendar_date(value)
        if found is None:
            self.err(path, f"{value!r} is not a date (YYYY-MM-DD)")
        return found

    def known(self, spec: Mapping[str, Any], path: str, allowed: set[str]) -> None:
        for key in spec:
            if key not in allowed:
                self.err(f"{path}.{key}", f"unknown key; expected {', '.join(sorted(allowed))}")

    def extend(self, spec: Mapping[str, Any], path: str) -> Extend:
        ways = ("to", "by_days", "period_end_plus_days")
        self.known(spec, path, {*ways, "scope"})
        given = [w for w in ways if spec.get(w) is not None]
        if len(given) != 1:
            self.err(path, "give exactly one of to, by_days, period_end_plus_days")
        to = self.date(spec.get("to"), f"{path}.to")
        by_days = self.days(spec.get("by_days"), f"{path}.by_days")
        plus = spec.get("period_end_plus_days")
        if plus is not None and (isinstance(plus, bool) or not isinstance(plus, int) or plus < 0):
            self.err(f"{path}.period_end_plus_days", f"{plus!r} is not a number of days ≥ 0")
            plus = None
        return Extend(to, by_days, plus, self.scope(spec, path))

    def waive(self, spec: Mapping[str, Any], path: str) -> Waive:
        self.known(spec, path, {"kinds", "committed_between", "scope"})
        kinds = spec.get("kinds")
        allowed = {k.value for k in ViolationKind}
        if not isinstance(kinds, list) or not kinds:
            self.err(f"{path}.kinds", f"expected a list of violation kinds ({', '.join(allowed)})")
            kinds = []
        for i, kind in enumerate(kinds):
            if kind not in allowed:
                self.err(f"{path}.kinds[{i}]", f"{kind!r} is not a violation kind")
        window = spec.get("committed_between") or {}
        if not isinstance(window, Mapping):
            self.err(f"{path}.committed_between", "expected {from: DATE, to: DATE}")
            window = {}
        start = self.date(window.get("from"), f"{path}.committed_between.from")
        end = self.date(window.get("to"), f"{path}.committed_between.to")
        if start and end and end < start:
            self.err(f"{path}.committed_between.to", "the window ends before it begins")
        return Waive(tuple(sorted({str(k) for k in kinds})), start, end, self.scope(spec, path))

    def benefit(self, spec: Mapping[str, Any], path: str) -> GrantBenefit:
        kind = spec.get("kind")
        if not isinstance(kind, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", kind):
            self.err(f"{path}.kind", f"{kind!r} is not a benefit kind (lower_case_name)")
            kind = ""
        params = {k: v for k, v in spec.items() if k not in ("kind", "scope")}
        if "until" in params:
            # Stored as JSON and read back by ``benefits.measure_grants``: the ISO text,
            # whether the file gave a YAML date or a string.
            until = self.date(params["until"], f"{path}.until")
            params["until"] = until.isoformat() if until else None
        return GrantBenefit(kind, self.scope(spec, path), params)


_KINDS: dict[str, Callable[[_ActionParser, Mapping[str, Any], str], Action]] = {
    "extend": _ActionParser.extend,
    "waive": _ActionParser.waive,
    "grant_benefit": _ActionParser.benefit,
}


def parse_actions(data: Any, path: str = "actions") -> Actions:
    """Parse the ``actions`` list; raise ``ScopeError`` naming every problem by its path."""
    parser = _ActionParser()
    if not isinstance(data, list) or not data:
        raise ScopeError([FieldError(path, "expected a non-empty list of actions")])
    items: list[Action] = []
    for i, entry in enumerate(data):
        where = f"{path}[{i}]"
        if not isinstance(entry, Mapping) or len(entry) != 1:
            parser.err(where, f"expected one of {', '.join(_KINDS)} as the only key")
            continue
        ((name, spec),) = entry.items()
        handler = _KINDS.get(str(name))
        if handler is None:
            parser.err(f"{where}.{name}", f"unknown action; expected {', '.join(_KINDS)}")
        elif not isinstance(spec, Mapping):
            parser.err(f"{where}.{name}", "expected a mapping")
        else:
            items.append(handler(parser, spec, f"{where}.{name}"))
    if sum(isinstance(a, Extend) for a in items) > 1:
        parser.err(path, "a measure extends documents once; give one extend action")
    if parser.errors:
        raise ScopeError(parser.errors)
    return Actions(tuple(items))


def actions_to_data(actions: Actions) -> list[dict[str, Any]]:
    return [_action_data(a) for a in actions.items]


def _action_data(action: Action) -> dict[str, Any]:
    scope = scope_to_data(action.scope)
    spec: dict[str, Any]
    match action:
        case Extend(to, by_days, plus):
            spec = {"to": to.isoformat() if to else None, "by_days": by_days}
            spec["period_end_plus_days"] = plus
            name = "extend"
        case Waive(kinds, start, end):
            window = {"from": start.isoformat() if start else None}
            window["to"] = end.isoformat() if end else None
            spec = {"kinds": list(kinds), "committed_between": _drop_none(window) or None}
            name = "waive"
        case GrantBenefit(kind, _, params):
            spec, name = {"kind": kind, **params}, "grant_benefit"
    spec["scope"] = scope or None
    return {name: _drop_none(spec)}


def _drop_none(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if v is not None}
