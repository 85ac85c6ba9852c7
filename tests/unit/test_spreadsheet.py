"""The one rule for cells of CSV/XLSX exports: never a formula, and read back unchanged."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kervan.spreadsheet import FORMULA_STARTS, read_cell, safe_cell


@given(st.text())
def test_an_exported_cell_is_never_a_formula(value: str) -> None:
    assert not safe_cell(value).startswith(FORMULA_STARTS)


@given(st.text().filter(lambda v: not v.startswith("'")))
def test_an_exported_cell_reads_back_as_it_was(value: str) -> None:
    assert read_cell(safe_cell(value)) == value


def test_the_payloads_of_the_issue() -> None:
    assert safe_cell('=HYPERLINK("http://x","y")') == '\'=HYPERLINK("http://x","y")'
    assert safe_cell("-@SUM(1)") == "'-@SUM(1)"
    assert safe_cell("Каримов") == "Каримов"
