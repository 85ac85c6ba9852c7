"""Sections of the situation report, and the registry other capabilities add theirs to.

A section is a named set of tables computed for a period. The register's sections are built
in; a capability adds its own from its ``install(app)``::

    from kervan.reports.sections import Section, register

    register(Section("assistance", assistance_tables, order=60))

where ``assistance_tables(session, period) -> list[Table]`` runs its own ``GROUP BY``. Every
section's tables go through the same disclosure control and the same exports; a section's
first dimension should be the nationality, so each home state receives its own rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kervan.registry.enums import Sex, StayKind, ViolationKind, ViolationStatus
from kervan.reports import queries
from kervan.reports.period import Period
from kervan.reports.tables import Table

TableMaker = Callable[[Session, Period], list[Table]]


@dataclass(frozen=True)
class Section:
    name: str
    tables: TableMaker
    order: int = 100
    # Tables whose change since the previous period is published (per first-dimension total).
    trends: tuple[str, ...] = ()
    # Pairs of tables that publish the same first-dimension totals (kept consistent).
    shared_totals: tuple[tuple[str, str], ...] = ()


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace) a section by name. Idempotent, like the exchange's message types."""
    SECTIONS[section.name] = section


def in_order() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.name))


def declared() -> tuple[list[str], list[tuple[str, str]]]:
    """The tables with a published trend, and the pairs that share their totals."""
    trends = [t for s in in_order() for t in s.trends]
    shared = [pair for s in in_order() for pair in s.shared_totals]
    return trends, shared


_KINDS = tuple(k.value for k in StayKind)


def _presence(session: Session, period: Period) -> list[Table]:
    by_standing, by_person = queries.presence(session, period)
    return [
        Table(
            "presence",
            ("nationality", "standing", "kind"),
            by_standing,
            {"standing": queries.STANDINGS, "kind": _KINDS},
        ),
        Table(
            "demography",
            ("nationality", "sex", "age"),
            by_person,
            {"sex": tuple(s.value for s in Sex), "age": queries.AGE_BANDS},
        ),
    ]


def _documents(session: Session, period: Period) -> list[Table]:
    counts = queries.document_flows(session, period)
    categories = {"kind": _KINDS, "flow": queries.FLOWS}
    return [Table("documents", ("nationality", "kind", "flow"), counts, categories)]


def _violations(session: Session, period: Period) -> list[Table]:
    categories = {
        "violation": tuple(k.value for k in ViolationKind),
        "violation_status": tuple(s.value for s in ViolationStatus),
    }
    counts = queries.violations(session, period)
    return [
        Table("violations", ("nationality", "violation", "violation_status"), counts, categories)
    ]


def _benefits(session: Session, period: Period) -> list[Table]:
    return [Table("benefits", ("nationality", "benefit"), queries.benefits(session, period))]


def _measures(session: Session, period: Period) -> list[Table]:
    counts = queries.measures_reach(session, period)
    return [Table("measures", ("measure",), counts, margins=False)]


def register_builtin() -> None:
    register(
        Section(
            "presence",
            _presence,
            order=10,
            trends=("presence",),
            shared_totals=(("presence", "demography"),),
        )
    )
    register(Section("documents", _documents, order=20))
    register(Section("violations", _violations, order=30))
    register(Section("benefits", _benefits, order=40))
    register(Section("measures", _measures, order=50))
