"""A protected situation report: the sections' tables for a period, suppressed together with
the earlier periods in view, audited, and laid out as the JSON that leaves the node. Only
aggregates are ever in it; the values of suppressed cells stay with the node (``hidden``)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kervan.reports import sections
from kervan.reports.audit import AuditResult
from kervan.reports.period import Period
from kervan.reports.suppression import Rules, protect
from kervan.reports.system import CHANGE, VALUE, CellSystem, Flag, PublishedTable, build
from kervan.reports.tables import TOTAL, Key, Table


@dataclass(frozen=True)
class Protected:
    body: dict[str, Any]  # what is published
    hidden: dict[str, list[list[Any]]]  # table → [*key, true value] of its suppressed cells
    audit: AuditResult


def compute_tables(session: Session, period: Period, state: str) -> list[tuple[str, Table]]:
    """(section name, table) of every registered section for ``state``'s node, in the
    sections' order."""
    return [
        (section.name, table)
        for section in sections.in_order()
        for table in section.tables(session, period, state)
    ]


def protect_tables(
    host_state: str,
    period: Period,
    tables: Sequence[tuple[str, Table]],
    history: Sequence[tuple[str, Sequence[PublishedTable]]],
    rules: Rules,
    trends: Sequence[str] = (),
    shared: Sequence[tuple[str, str]] = (),
) -> Protected:
    """Suppress and audit ``tables`` with the earlier periods in ``history`` (oldest first);
    ``trends`` and ``shared`` as the sections declare them (``sections.declared``)."""
    system = build(period.label, [t for _, t in tables], history, trends, shared)
    result = protect(system, period.label, rules)
    body = {
        "host_state": host_state,
        "reference_date": period.reference_date.isoformat(),
        "period_start": period.start.isoformat(),
        "period_days": period.days,
        "threshold": rules.threshold,
        "protection": rules.protection,
        "tables": [_layout(system, period.label, section, table) for section, table in tables],
        "audit": {
            "suppressed": len(result.intervals),
            "narrowest": _narrowest(result),
            "passed": result.passed,
            "periods": [label for label, _ in history] + [period.label],
        },
    }
    return Protected(body, _hidden(system, period.label), result)


def _narrowest(result: AuditResult) -> float | None:
    widths = [i.width for i in result.intervals]
    if not widths:
        return None
    narrowest = min(widths)
    return None if narrowest == float("inf") else round(narrowest, 3)


def _layout(system: CellSystem, period: str, section: str, table: Table) -> dict[str, Any]:
    """A table as published, compactly (a report must fit in one envelope): the categories of
    each dimension (``_T`` last where margins are published), then every cell's value (null
    when suppressed) and flag in the order of their cross product."""
    levels = [list(table.categories_of(dim)) for dim in table.dims]
    if table.margins:
        levels = [[*level, TOTAL] for level in levels]
    values: list[int | None] = []
    flags = []
    for key in itertools.product(*levels):
        cell = system.cells[system.index[(period, table.name, key, VALUE)]]
        values.append(None if cell.suppressed else round(cell.value))
        flags.append(cell.flag.value)
    changes: dict[str, Any] = {"keys": [], "values": [], "flags": ""}
    for key in itertools.product(*levels):
        i = system.index.get((period, table.name, key, CHANGE))
        if i is None:
            continue
        cell = system.cells[i]
        changes["keys"].append(key[0])
        changes["values"].append(None if cell.suppressed else round(cell.value))
        changes["flags"] += cell.flag.value
    published = {
        "name": table.name,
        "section": section,
        "dims": list(table.dims),
        "categories": levels,
        "values": values,
        "flags": "".join(flags),
        "changes": changes,
    }
    names = _names(table, levels)
    if names:
        published["names"] = names
    return published


def _names(table: Table, levels: list[list[str]]) -> dict[str, dict[str, dict[str, str]]]:
    """The names officers gave to the table's codes, for the codes it publishes."""
    names: dict[str, dict[str, dict[str, str]]] = {}
    for dim, level in zip(table.dims, levels, strict=True):
        given = table.names.get(dim, {})
        named = {code: dict(given[code]) for code in level if given.get(code)}
        if named:
            names[dim] = named
    return names


def cells_of(table: dict[str, Any]) -> Iterator[tuple[Key, int | None, str]]:
    """(key, published value or None, flag) of every cell of a published table."""
    keys = itertools.product(*table["categories"])
    yield from zip(keys, table["values"], table["flags"], strict=True)


def changes_of(table: dict[str, Any]) -> Iterator[tuple[Key, int | None, str]]:
    """(key, change since the previous report or None, flag) of a table's trend cells."""
    changes = table.get("changes") or {"keys": [], "values": [], "flags": ""}
    rest = (TOTAL,) * (len(table["dims"]) - 1)
    for first, value, flag in zip(
        changes["keys"], changes["values"], changes["flags"], strict=True
    ):
        yield (first, *rest), value, flag


def _hidden(system: CellSystem, period: str) -> dict[str, list[list[Any]]]:
    hidden: dict[str, list[list[Any]]] = {}
    for cid, i in system.index.items():
        cell = system.cells[i]
        if cid[0] == period and cid[3] == VALUE and cell.suppressed:
            hidden.setdefault(cid[1], []).append([*cid[2], round(cell.value)])
    return hidden


def published_tables(
    body: dict[str, Any], hidden: dict[str, list[list[Any]]] | None = None
) -> list[PublishedTable]:
    """A published report read back as the audit's knowledge of an earlier period."""
    tables = []
    for table in body["tables"]:
        width = len(table["dims"])
        cells = list(cells_of(table))
        values = {key: value for key, value, _ in cells}
        flags = {key: Flag(flag) for key, _, flag in cells}
        changes = {key: value for key, value, _ in changes_of(table)}
        secret = {tuple(c[:width]): int(c[width]) for c in (hidden or {}).get(table["name"], [])}
        tables.append(PublishedTable(table["name"], values, flags, changes, secret))
    return tables


def generated_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


__all__ = ["CHANGE", "Protected", "compute_tables", "protect_tables", "published_tables"]
