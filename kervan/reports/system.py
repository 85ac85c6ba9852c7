"""The linear system a reader of the published tables can write down: one variable per cell
(of this period, and of the earlier periods already published), the additive equations of each
table's margins, and the links between periods (a published change since the previous period is
that period's cell subtracted from this one's). Suppression (``suppression.py``) and its audit
(``audit.py``) both work on it, so they reason about exactly the same knowledge."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from kervan.reports.tables import TOTAL, Key, Table


class Flag(enum.StrEnum):
    """SDMX's CONF_STATUS codes, so an SDMX reader knows why a value is missing."""

    FREE = "F"  # published
    PRIMARY = "C"  # confidential: below the threshold
    SECONDARY = "D"  # suppressed so that a confidential cell cannot be recomputed


# A cell's place: (period label, table name, key, "value" or "change").
CellId = tuple[str, str, Key, str]
VALUE, CHANGE = "value", "change"


@dataclass
class Cell:
    value: float
    flag: Flag = Flag.FREE
    lower: float = 0.0  # counts cannot be negative; a change can (-inf)
    # A cell of an earlier period: what was published then can no longer be withdrawn.
    frozen: bool = False
    # Its true value is unknown here (an earlier period's suppressed cell, read from what was
    # published): only bounds are known.
    known: bool = True

    @property
    def suppressed(self) -> bool:
        return self.flag is not Flag.FREE


@dataclass
class CellSystem:
    cells: list[Cell] = field(default_factory=list)
    ids: list[CellId] = field(default_factory=list)
    index: dict[CellId, int] = field(default_factory=dict)
    # Each relation: [(cell index, coefficient)], whose weighted sum is zero.
    relations: list[list[tuple[int, float]]] = field(default_factory=list)

    def add(self, cell_id: CellId, cell: Cell) -> int:
        self.index[cell_id] = len(self.cells)
        self.cells.append(cell)
        self.ids.append(cell_id)
        return self.index[cell_id]

    def current(self, period: str) -> list[int]:
        return [i for i, cid in enumerate(self.ids) if cid[0] == period]


@dataclass(frozen=True)
class PublishedTable:
    """A table as it was published: each cell's value (None when suppressed) and flag, and the
    published changes since the period before (for tables with a trend)."""

    name: str
    values: dict[Key, int | None]
    flags: dict[Key, Flag]
    changes: dict[Key, int | None] = field(default_factory=dict)
    # The true values of its suppressed cells, known only to the node that made it (they
    # bound how far a protecting perturbation may move them); empty for a received table.
    hidden: dict[Key, int] = field(default_factory=dict)


def trend_keys(table: Table, cells: Iterable[Key]) -> list[Key]:
    """The cells whose change since the previous period is published: the totals of the first
    dimension's categories (the trend per nationality) and the grand total."""
    width = len(table.dims)
    return [k for k in cells if all(v == TOTAL for v in k[1:]) and width > 0]


def build(
    period: str,
    tables: Sequence[Table],
    history: Sequence[tuple[str, Sequence[PublishedTable]]] = (),
    trends: Sequence[str] = (),
    shared_totals: Sequence[tuple[str, str]] = (),
) -> CellSystem:
    """The system of ``period``'s ``tables`` (true values, all free to start with), after the
    earlier periods' tables in ``history`` (oldest first, as published). ``trends``: the tables
    whose change since the previous period is published; ``shared_totals``: pairs of tables
    that publish the same first-dimension totals (one equation each, suppressed alike)."""
    system = CellSystem()
    previous: str | None = None
    for label, earlier in history:
        for published in earlier:
            _add_published(system, label, published, previous, published.name in trends)
        previous = label
    for table in tables:
        _add_table(system, period, table, previous, table.name in trends)
    for label in [label for label, _ in history] + [period]:
        for first, second in shared_totals:
            _share(system, label, first, second)
    return system


def _share(system: CellSystem, period: str, first: str, second: str) -> None:
    totals: dict[str, dict[str, int]] = {first: {}, second: {}}
    for cid, i in system.index.items():
        mine = cid[0] == period and cid[1] in totals and cid[3] == VALUE
        if mine and all(v == TOTAL for v in cid[2][1:]):
            totals[cid[1]][cid[2][0]] = i
    for category, i in totals[first].items():
        j = totals[second].get(category)
        if j is not None:
            system.relations.append([(i, 1.0), (j, -1.0)])


def _relations_of(system: CellSystem, period: str, table: Table) -> None:
    for total, parts in table.relations():
        row = [(system.index[(period, table.name, total, VALUE)], 1.0)]
        row += [(system.index[(period, table.name, part, VALUE)], -1.0) for part in parts]
        system.relations.append(row)


def _link(system: CellSystem, period: str, name: str, key: Key, previous: str | None) -> None:
    """change = this period's cell - the previous period's (when that period is in view)."""
    if previous is None or (previous, name, key, VALUE) not in system.index:
        return
    before = system.index[(previous, name, key, VALUE)]
    change = system.index[(period, name, key, CHANGE)]
    now = system.index[(period, name, key, VALUE)]
    system.relations.append([(change, 1.0), (now, -1.0), (before, 1.0)])


def _add_table(
    system: CellSystem, period: str, table: Table, previous: str | None, trend: bool
) -> None:
    cells = table.all_cells()
    for key, value in cells.items():
        system.add((period, table.name, key, VALUE), Cell(float(value)))
    _relations_of(system, period, table)
    if not trend or previous is None:
        return
    for key in trend_keys(table, cells):
        before = system.index.get((previous, table.name, key, VALUE))
        if before is None:
            continue
        old = system.cells[before]
        change = cells[key] - old.value if old.known else 0.0
        system.add(
            (period, table.name, key, CHANGE), Cell(change, lower=-math.inf, known=old.known)
        )
        _link(system, period, table.name, key, previous)


def _add_published(
    system: CellSystem,
    period: str,
    table: PublishedTable,
    previous: str | None,
    trend: bool,
) -> None:
    for key, value in table.values.items():
        flag = table.flags.get(key, Flag.FREE)
        true = value if value is not None else table.hidden.get(key)
        system.add(
            (period, table.name, key, VALUE),
            Cell(float(true or 0), flag=flag, frozen=True, known=true is not None),
        )
    _relations_of(system, period, _shape_of(table))
    if not trend:
        return
    for key, value in table.changes.items():
        if (period, table.name, key, VALUE) not in system.index:
            continue
        flag = Flag.FREE if value is not None else Flag.SECONDARY
        system.add(
            (period, table.name, key, CHANGE),
            Cell(
                float(value or 0), flag=flag, lower=-math.inf, frozen=True, known=value is not None
            ),
        )
        _link(system, period, table.name, key, previous)


def _shape_of(table: PublishedTable) -> Table:
    """The dimensions and categories of a published table, to write its equations again."""
    keys = list(table.values)
    width = len(keys[0]) if keys else 0
    dims = tuple(f"d{i}" for i in range(width))
    categories = {
        dims[i]: tuple(sorted({k[i] for k in keys if k[i] != TOTAL})) for i in range(width)
    }
    has_totals = any(TOTAL in k for k in keys)
    interior = {k: 0 for k in keys if TOTAL not in k}
    return Table(table.name, dims, interior, categories, margins=has_totals)


def components(system: CellSystem) -> list[CellSystem]:
    """The system cut into the parts no equation links (each table with its own margins is
    usually one, plus the tables that share totals): each is solved on its own, so the linear
    programs stay as small as the tables. The parts share the ``Cell`` objects of ``system``,
    so flags set on a part are set on the whole."""
    parent = list(range(len(system.cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in system.relations:
        first = find(row[0][0])
        for i, _ in row[1:]:
            other = find(i)
            if other != first:
                parent[other] = first
    members: dict[int, list[int]] = {}
    for i in range(len(system.cells)):
        members.setdefault(find(i), []).append(i)
    parts: dict[int, CellSystem] = {}
    where: dict[int, tuple[CellSystem, int]] = {}
    for root, cells in members.items():
        part = parts[root] = CellSystem()
        for i in cells:
            where[i] = (part, part.add(system.ids[i], system.cells[i]))
    for row in system.relations:
        part = parts[find(row[0][0])]
        part.relations.append([(where[i][1], c) for i, c in row])
    return list(parts.values())
