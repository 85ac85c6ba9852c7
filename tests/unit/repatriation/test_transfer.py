"""A consulate's spreadsheet of return requests: rows of a group make one request, every
refused row is named by its number, and a file with one refused row plans nothing to store."""

from __future__ import annotations

import io

from openpyxl import Workbook

from kervan.repatriation.transfer import COLUMNS, plan_import, rows_of

BASE = {
    "host_state": "KAZ", "origin": "ALA", "destination": "TAS", "earliest_date": "2026-05-01",
    "document_status": "valid_passport", "consent": "yes", "birth_date": "1980-02-10",
}  # fmt: skip


def _csv(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(COLUMNS)] + [",".join(r.get(c, "") for c in COLUMNS) for r in rows]
    return ("\ufeff" + "\n".join(lines)).encode()


def test_rows_of_a_group_make_one_request_with_its_applicant_first() -> None:
    content = _csv(
        [
            {**BASE, "group": "A", "primary_identifier": "olimov", "priority_reasons": "minors"},
            {**BASE, "group": "A", "primary_identifier": "OLIMOVA",
             "relationship_to_applicant": "spouse"},
            {},
            {**BASE, "primary_identifier": "SAIDOV", "priority_reasons": "elderly;no_income"},
        ]
    )  # fmt: skip
    plan = plan_import(rows_of(content, "list.csv"))
    assert plan.problems == []
    family, single = plan.requests
    assert [t.primary_identifier for t in family.travellers] == ["OLIMOV", "OLIMOVA"]
    assert [r.value for r in single.priority_reasons] == ["elderly", "no_income"]


def test_each_refused_row_is_named_and_nothing_is_planned_from_it() -> None:
    content = _csv(
        [
            {**BASE, "group": "A", "primary_identifier": "OLIMOV"},
            {**BASE, "group": "A", "primary_identifier": "OLIMOVA", "birth_date": "1980-13-01"},
            {**BASE, "primary_identifier": "SAIDOV", "consent": "no"},
            {**BASE, "primary_identifier": "KARIMOV", "origin": "A"},
        ]
    )
    plan = plan_import(rows_of(content, "list.csv"))
    assert [(p.row, p.column) for p in plan.problems] == [
        (3, "birth_date"), (4, "consent"), (5, "origin"),
    ]  # fmt: skip
    assert plan.requests == []
    assert str(plan.problems[1]).startswith("row 4: consent:")


def test_an_xlsx_list_reads_like_a_csv_one() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    row = {**BASE, "primary_identifier": "NAZAROV"}
    sheet.append([row.get(c, "") for c in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_import(rows_of(buffer.getvalue(), "list.XLSX"))
    assert plan.problems == [] and plan.requests[0].travellers[0].primary_identifier == "NAZAROV"
