"""kervan/registry/transfer/report.py: an import's report keeps at most ``MAX_ERRORS`` problems
but counts them all and says it cut them; a value from the file is quoted short, never whole;
each problem says where it is."""

from __future__ import annotations

import ast

from hypothesis import given
from hypothesis import strategies as st

from kervan.registry.transfer.report import ECHO_CHARS, MAX_ERRORS, ImportReport, RowError, echo


def _report() -> ImportReport:
    return ImportReport("people.csv", "csv", dry_run=False, all_or_nothing=False)


def test_problems_are_kept_up_to_the_cap_and_all_counted() -> None:
    report = _report()
    report.add_errors([RowError(n, "number", "too long") for n in range(2, MAX_ERRORS)])
    assert not report.errors_truncated
    report.add_errors([RowError(n, None, "empty row") for n in range(5)])
    report.add_errors([RowError(9, None, "one more")])
    assert len(report.errors) == MAX_ERRORS and report.error_count == MAX_ERRORS + 4
    assert report.errors_truncated and report.as_dict()["errors_truncated"] is True
    assert report.counts()["error_count"] == MAX_ERRORS + 4


@given(st.text(max_size=200))
def test_a_value_is_quoted_short_and_recognisably(value: str) -> None:
    shown = ast.literal_eval(echo(value))
    assert len(shown) <= ECHO_CHARS + 1
    assert shown == value or (shown == value[:ECHO_CHARS] + "…" and len(value) > ECHO_CHARS)


def test_a_problem_says_its_row_and_column() -> None:
    problem = RowError(12, "valid_until", "not a date")
    assert problem.text() == "row 12, column valid_until: not a date"
    assert RowError(3, None, "7 cells, expected 9").text() == "row 3: 7 cells, expected 9"


def test_the_summary_says_what_was_written() -> None:
    report = _report()
    report.rows, report.persons_created, report.rows_rejected = 10, 8, 2
    report.add_errors([RowError(4, None, "x"), RowError(5, None, "y")])
    assert report.summary().startswith("people.csv: imported: 10 rows; 8 persons created;")
    assert report.summary().endswith("2 bad row(s) (2 problem(s))")
    report.outcome = "dry_run"
    assert "dry run, nothing written" in report.summary()
