"""A protected situation report: the sections' tables for a period, suppressed together with
the earlier periods in view, audited, and laid out as the JSON that leaves the node. Only
aggregates are ever in it; the values of suppressed cells stay with the node (``hidden``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from kervan.reports import sections
from kervan.reports.audit import AuditResult
from kervan.reports.period import Period
from kervan.reports.suppression import Rules, protect
from kervan.reports.system import CHANGE, VALUE, CellSystem, Flag, PublishedTable, build
from kervan.reports.tables import Table


@dataclass(frozen=True)
class Protected:
    body: dict[str, Any]  # what is published
    hidden: dict[str, list[list[Any]]]  # table → [*key, true value] of its suppressed cells
    audit: AuditResult


def compute_tables(session: Session, period: Period) -> list[tuple[str, Table]]:
    """(section name, table) of every registered section, in the sections' order."""
    return [
        (section.name, table)
        for section in sections.in_order()
        for table in section.tables(session, period)
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
    cells: list[list[Any]] = []
    changes: list[list[Any]] = []
    for cid, i in system.index.items():
        if cid[0] != period or cid[1] != table.name:
            continue
        cell = system.cells[i]
        value = None if cell.suppressed else round(cell.value)
        (cells if cid[3] == VALUE else changes).append([*cid[2], value, cell.flag.value])
    return {
        "name": table.name,
        "section": section,
        "dims": list(table.dims),
        "cells": cells,
        "changes": changes,
    }


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
        values = {tuple(c[:width]): c[width] for c in table["cells"]}
        flags = {tuple(c[:width]): Flag(c[width + 1]) for c in table["cells"]}
        changes = {tuple(c[:width]): c[width] for c in table.get("changes", [])}
        secret = {tuple(c[:width]): int(c[width]) for c in (hidden or {}).get(table["name"], [])}
        tables.append(PublishedTable(table["name"], values, flags, changes, secret))
    return tables


def generated_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


__all__ = ["CHANGE", "Protected", "compute_tables", "protect_tables", "published_tables"]
