"""Sections of the situation report, and the registry other capabilities add theirs to.

A section is a named set of tables computed for a period. The register's sections are built
in; a capability adds its own from its ``install(app)``::

    from kervan.reports.sections import Section, register

    register(Section("assistance", assistance_tables, order=60))

where ``assistance_tables(session, period, state) -> list[Table]`` runs its own ``GROUP BY``
(``state``: the node's own state, whose report it is). Every
section's tables go through the same disclosure control and the same exports; a section's
first dimension should be the nationality, so each home state receives its own rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from kervan.registry.enums import Sex, StayKind, ViolationKind, ViolationStatus
from kervan.reports import queries
from kervan.reports.period import Period
from kervan.reports.tables import Table

TableMaker = Callable[[Session, Period, str], list[Table]]


@dataclass(frozen=True)
class Section:
    name: str
    tables: TableMaker
    order: int = 100
    # Tables whose change since the previous period is published (per first-dimension total).
    trends: tuple[str, ...] = ()
    # Pairs of tables that publish the same first-dimension totals (kept consistent).
    shared_totals: tuple[tuple[str, str], ...] = ()
    # How the section's codes read (msgids, translated by ``kervan.reports.labels``): its
    # tables' titles, its dimensions' names, and {(dimension, code): name} of its categories.
    titles: Mapping[str, str] = field(default_factory=dict)
    dimensions: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[tuple[str, str], str] = field(default_factory=dict)


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Add (or replace) a section by name. Idempotent, like the exchange's message types."""
    SECTIONS[section.name] = section


def in_order() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: (s.order, s.name))


def label_of(kind: str, key: object) -> str | None:
    """The msgid a registered section gives a table title, dimension or category (``kind``
    "titles", "dimensions" or "categories"), None when no section names it."""
    for section in SECTIONS.values():
        found = getattr(section, kind).get(key)
        if found is not None:
            return str(found)
    return None


def declared() -> tuple[list[str], list[tuple[str, str]]]:
    """The tables with a published trend, and the pairs that share their totals."""
    trends = [t for s in in_order() for t in s.trends]
    shared = [pair for s in in_order() for pair in s.shared_totals]
    return trends, shared


_KINDS = tuple(k.value for k in StayKind)


def _presence(session: Session, period: Period, _state: str) -> list[Table]:
    counted = queries.presence(session, period)
    return [
        Table(
            "presence",
            ("nationality", "standing", "kind"),
            counted.by_standing,
            {"standing": queries.STANDINGS, "kind": _KINDS},
        ),
        Table(
            "demography",
            ("nationality", "sex", "age"),
            counted.by_person,
            {"sex": tuple(s.value for s in Sex), "age": queries.AGE_BANDS},
        ),
        # Linked to the others by the nationality totals rather than one more dimension of
        # theirs: a region × standing × kind × sex × age cross would be mostly cells of a few
        # persons, suppressed; a two-way table keeps its cells meaningful.
        Table("regions", ("nationality", "region"), counted.by_region),
    ]


def _documents(session: Session, period: Period, _state: str) -> list[Table]:
    counts = queries.document_flows(session, period)
    categories = {"kind": _KINDS, "flow": queries.FLOWS}
    return [Table("documents", ("nationality", "kind", "flow"), counts, categories)]


def _violations(session: Session, period: Period, _state: str) -> list[Table]:
    categories = {
        "violation": tuple(k.value for k in ViolationKind),
        "violation_status": tuple(s.value for s in ViolationStatus),
    }
    counts = queries.violations(session, period)
    return [
        Table("violations", ("nationality", "violation", "violation_status"), counts, categories)
    ]


def _benefits(session: Session, period: Period, _state: str) -> list[Table]:
    counts = queries.benefits(session, period)
    names = {"benefit": queries.benefit_names(session, (key[1] for key in counts))}
    return [Table("benefits", ("nationality", "benefit"), counts, names=names)]


def _measures(session: Session, period: Period, _state: str) -> list[Table]:
    counts = queries.measures_reach(session, period)
    names = {"measure": queries.measure_titles(session, (key[0] for key in counts))}
    return [Table("measures", ("measure",), counts, margins=False, names=names)]


def register_builtin() -> None:
    register(
        Section(
            "presence",
            _presence,
            order=10,
            trends=("presence",),
            shared_totals=(("presence", "demography"), ("presence", "regions")),
        )
    )
    register(Section("documents", _documents, order=20))
    register(Section("violations", _violations, order=30))
    register(Section("benefits", _benefits, order=40))
    register(Section("measures", _measures, order=50))
