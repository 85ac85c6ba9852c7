"""Shaping the audit log for admins: filters as recorded, CSV safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import datetime as dt
import io

from kervan.accounts.audit import AuditFilter, csv_lines
from kervan.accounts.audit_rows import StoredEntry
from kervan.spreadsheet import safe_cell
from tests.unit.accounts.audit_support import entry_columns


def test_filter_details_name_only_what_was_given() -> None:
    since = dt.datetime(2020, 5, 1, tzinfo=dt.UTC)
    assert AuditFilter(action="person.read", since=since).as_details() == {
        "action": "person.read",
        "since": "2020-05-01T00:00:00+00:00",
    }
    assert AuditFilter().as_details() == {}


def test_formula_cells_are_neutralised() -> None:
    for risky in ("=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(risky) == "'" + risky
    for plain in ("aigerim", "person.read", "", "1-2"):
        assert safe_cell(plain) == plain


def test_csv_lines_quote_and_keep_every_field() -> None:
    entry = StoredEntry(
        seq=7,
        at=dt.datetime(2020, 5, 1, 12, tzinfo=dt.UTC),
        prev_hash="p" * 64,
        entry_hash="e" * 64,
        **entry_columns(
            username='o"fficer, with comma',
            record_type="user",
            record_id="u-1",
            purpose="line\nbreak",
            address="10.0.0.1",
            details={"b": 1, "a": "ü"},
        ),
    )
    rows = list(csv.reader(io.StringIO("".join(csv_lines([entry])))))
    assert rows[0][:3] == ["seq", "at", "username"]
    assert rows[1][2] == 'o"fficer, with comma'
    assert rows[1][9] == "line\nbreak"
    assert rows[1][11] == '{"a": "ü", "b": 1}'
    assert len(rows) == 2
