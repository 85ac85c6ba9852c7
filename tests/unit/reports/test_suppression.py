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

from kervan.reports.audit import audit
from kervan.reports.period import Period
from kervan.reports.report import cells_of, changes_of, protect_tables, published_tables
from kervan.reports.suppression import Rules
from kervan.reports.system import CHANGE, Flag, build
from kervan.reports.tables import TOTAL, Table

RULES = Rules(threshold=10, protection=5)
SMALL = st.sampled_from([0, 1, 2, 3, 4, 7, 9, 10, 15, 40, 200])


def reader_audit(bodies: list[dict], protection: float = 5, trends=("t",)) -> object:
    """What a reader can work out from the published bodies alone (oldest first)."""
    history = [(b["reference_date"], published_tables(b)) for b in bodies]
    last_label = history[-1][0]
    system = build("reader", [], history, trends)
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
