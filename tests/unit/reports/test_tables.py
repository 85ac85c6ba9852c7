"""A table's cells: declared categories published even when empty, every margin the sum of
what it totals, and the equations a reader can write down."""

from __future__ import annotations

from kervan.reports.tables import TOTAL, Table, interior


def test_margins_and_relations() -> None:
    table = Table("t", ("a", "b"), {("x", "p"): 3, ("y", "q"): 4}, {"b": ("p", "q", "r")})
    cells = table.all_cells()
    assert table.categories_of("b") == ("p", "q", "r")
    assert cells[("x", "r")] == 0  # declared, empty: a zero, not left out
    assert cells[("x", TOTAL)] == 3 and cells[(TOTAL, "q")] == 4 and cells[(TOTAL, TOTAL)] == 7
    for total, parts in table.relations():
        assert cells[total] == sum(cells[p] for p in parts)
    assert interior(("x", "p")) and not interior(("x", TOTAL))


def test_a_list_without_margins() -> None:
    table = Table("m", ("measure",), {("M-1",): 12, ("M-2",): 5}, margins=False)
    assert table.all_cells() == {("M-1",): 12, ("M-2",): 5}
    assert list(table.relations()) == []
