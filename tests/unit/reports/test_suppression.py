"""Disclosure control: small cells suppressed, complementary cells chosen so that no suppressed
cell can be narrowed below the protection range by a reader who has every published table —
this period's and the earlier ones — checked by a reader-side audit rebuilt from the published
JSON alone."""

from __future__ import annotations

import copy
import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kervan.reports.audit import AuditResult, audit
from kervan.reports.period import Period
from kervan.reports.report import cells_of, changes_of, protect_tables, published_tables
from kervan.reports.suppression import Rules
from kervan.reports.system import CHANGE, Flag, build
from kervan.reports.tables import TOTAL, Table

RULES = Rules(threshold=10, protection=5)
SMALL = st.sampled_from([0, 1, 2, 3, 4, 7, 9, 10, 15, 40, 200])


def reader_audit(
    bodies: list[dict], protection: float = 5, trends=("t",), shared=()
) -> AuditResult:
    """What a reader can work out from the published bodies alone (oldest first)."""
    history = [(b["reference_date"], published_tables(b)) for b in bodies]
    last_label = history[-1][0]
    system = build("reader", [], history, trends, shared)
    # Audit the last period's suppressed cells: they are the history's last label.
    return audit(system, last_label, protection)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    shape = draw(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=3))
    dims = tuple(f"d{i}" for i in range(len(shape)))
    keys = list(itertools.product(*[[f"c{j}" for j in range(n)] for n in shape]))
    counts = {key: draw(SMALL) for key in keys}
    categories = {d: tuple(f"c{j}" for j in range(n)) for d, n in zip(dims, shape, strict=True)}
    return Table("t", dims, counts, categories)


def _protect(table: Table, day: int, history=(), rules: Rules = RULES):
    period = Period(dt.date(2026, 11, day))
    return protect_tables("KAZ", period, [("s", table)], history, rules, trends=["t"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_every_suppressed_cell_keeps_its_protection_range_for_a_reader(table: Table) -> None:
    protected = _protect(table, 1)
    assert protected.audit.passed
    for key, value, flag in cells_of(protected.body["tables"][0]):
        true = table.all_cells()[key]
        if 0 < true < RULES.threshold:
            assert flag == Flag.PRIMARY and value is None
        if flag == Flag.FREE:
            assert value == true
    result = reader_audit([protected.body])
    assert result.passed, result.failures


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.data())
def test_consecutive_periods_cannot_be_subtracted(first: Table, data: st.DataObject) -> None:
    second_counts = {k: data.draw(SMALL) for k in first.counts}
    second = Table("t", first.dims, second_counts, first.categories)
    one = _protect(first, 1)
    history = [(one.body["reference_date"], published_tables(one.body, one.hidden))]
    two = _protect(second, 8, history)
    assert two.audit.passed
    assert reader_audit([one.body, two.body]).passed


def test_the_audit_fails_without_secondary_suppression() -> None:
    # One small cell in a 2 × 2 table: its row and column totals give it away.
    table = Table("t", ("a", "b"), {("x", "p"): 3, ("x", "q"): 50, ("y", "p"): 60, ("y", "q"): 70})
    alone = _protect(table, 1, rules=Rules(threshold=10, protection=5, secondary=False))
    assert not alone.audit.passed
    assert not reader_audit([alone.body]).passed
    protected = _protect(table, 1)
    assert protected.audit.passed and reader_audit([protected.body]).passed
    flags = protected.body["tables"][0]["flags"]
    assert flags.count(Flag.SECONDARY) >= 3  # the other corners of the cycle


def test_a_published_change_would_expose_a_total_suppressed_this_week() -> None:
    week1 = Table("t", ("n", "k"), {("A", "p"): 12, ("A", "q"): 30, ("B", "p"): 40, ("B", "q"): 50})
    week2 = Table("t", ("n", "k"), {("A", "p"): 3, ("A", "q"): 4, ("B", "p"): 41, ("B", "q"): 52})
    one = _protect(week1, 1)
    history = [(one.body["reference_date"], published_tables(one.body, one.hidden))]
    two = _protect(week2, 8, history)
    assert reader_audit([one.body, two.body]).passed
    changes = {key: value for key, value, _ in changes_of(two.body["tables"][0])}
    assert changes[("A", TOTAL)] is None  # 42 → 7 would reveal the 7
    # Publishing that change is exactly what the audit catches.
    table = copy.deepcopy(two.body["tables"][0])
    position = table["changes"]["keys"].index("A")
    table["changes"]["values"][position] = -35
    flags = list(table["changes"]["flags"])
    flags[position] = "F"
    table["changes"]["flags"] = "".join(flags)
    leaked = {**two.body, "tables": [table]}
    assert not reader_audit([one.body, leaked]).passed


def test_a_change_cell_is_a_cell_of_the_system() -> None:
    table = Table("t", ("n",), {("A",): 20})
    system = build("p2", [table], [("p1", published_tables(_protect(table, 1).body))], ["t"])
    assert any(cid[3] == CHANGE for cid in system.ids)


@st.composite
def linked_tables(draw: st.DrawFn) -> tuple[Table, Table]:
    """Two tables of the same persons, as presence and regions are: nationality × standing and
    nationality × region, made from one person-level cross so their nationality totals agree."""
    shape = [draw(st.integers(min_value=1, max_value=3)) for _ in range(3)]
    levels = [[f"{d}{j}" for j in range(n)] for d, n in zip("nsr", shape, strict=True)]
    persons = {key: draw(SMALL) for key in itertools.product(*levels)}
    by_standing: dict[tuple[str, ...], int] = {}
    by_region: dict[tuple[str, ...], int] = {}
    for (n, st_, r), count in persons.items():
        by_standing[(n, st_)] = by_standing.get((n, st_), 0) + count
        by_region[(n, r)] = by_region.get((n, r), 0) + count
    return (
        Table("t", ("n", "s"), by_standing, {"s": tuple(levels[1])}),
        Table("r", ("n", "r"), by_region, {"r": tuple(levels[2])}),
    )


def _protect_linked(pair: tuple[Table, Table], day: int, history=(), rules: Rules = RULES):
    period = Period(dt.date(2026, 11, day))
    tables = [("s", pair[0]), ("s", pair[1])]
    return protect_tables("KAZ", period, tables, history, rules, ["t"], [("t", "r")])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_tables(), st.data())
def test_linked_tables_are_protected_together_across_periods(
    pair: tuple[Table, Table], data: st.DataObject
) -> None:
    """The region table shares its nationality totals with presence: a reader holding both,
    this week's and last week's, still cannot narrow any suppressed cell."""
    one = _protect_linked(pair, 1)
    assert one.audit.passed
    assert reader_audit([one.body], shared=[("t", "r")]).passed
    second = tuple(
        Table(t.name, t.dims, {k: data.draw(SMALL) for k in t.counts}, t.categories) for t in pair
    )
    # Keep the second week's totals consistent: regions re-derived from the standing table.
    first_table = second[0]
    totals: dict[str, int] = {}
    for (n, _), count in first_table.counts.items():
        totals[n] = totals.get(n, 0) + count
    region = second[1]
    spread = {k: 0 for k in region.counts}
    for n, total in totals.items():
        first_key = next(k for k in sorted(region.counts) if k[0] == n)
        spread[first_key] = total
    pair2 = (first_table, Table(region.name, region.dims, spread, region.categories))
    history = [(one.body["reference_date"], published_tables(one.body, one.hidden))]
    two = _protect_linked(pair2, 8, history)
    assert two.audit.passed
    assert reader_audit([one.body, two.body], shared=[("t", "r")]).passed


def test_a_linked_table_gives_a_cell_away_without_secondary_suppression() -> None:
    # A's 3 persons overstaying: A's total is published in the region table too (one region).
    presence = Table(
        "t", ("n", "s"), {("A", "p"): 3, ("A", "q"): 50, ("B", "p"): 60, ("B", "q"): 70}
    )
    regions = Table("r", ("n", "r"), {("A", "r1"): 53, ("B", "r1"): 130})
    alone = _protect_linked(
        (presence, regions), 1, rules=Rules(threshold=10, protection=5, secondary=False)
    )
    assert not alone.audit.passed
    assert not reader_audit([alone.body], shared=[("t", "r")]).passed
    protected = _protect_linked((presence, regions), 1)
    assert protected.audit.passed
    assert reader_audit([protected.body], shared=[("t", "r")]).passed
    totals = [
        {key[0]: value for key, value, _ in cells_of(table) if key[1] == TOTAL}
        for table in protected.body["tables"]
    ]
    assert totals[0] == totals[1]  # the shared totals: published (or suppressed) alike
