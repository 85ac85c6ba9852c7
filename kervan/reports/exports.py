"""A report as files: CSV and XLSX (one row per published cell, suppressed cells empty with
their flag), SDMX (a zip of SDMX-CSV data, one dataflow per table, and the data structure
definitions as SDMX-ML 2.1) and a PDF in the officer's language (``pdf.py``). Every file holds
the published values only, exactly as they left the node."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from openpyxl import Workbook

from kervan.reports import sdmx
from kervan.reports.models import SituationReport
from kervan.reports.report import cells_of, changes_of
from kervan.spreadsheet import safe_cell

FORMATS = ("csv", "xlsx", "sdmx", "pdf")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sdmx": "application/zip",
    "pdf": "application/pdf",
}


def dimension_columns(body: dict[str, Any]) -> list[str]:
    """Every dimension of every table, in order of first appearance."""
    seen: list[str] = []
    for table in body["tables"]:
        seen += [d for d in table["dims"] if d not in seen]
    return seen


def rows(body: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per published cell: host state, reference date, table, its dimensions, value
    (empty when suppressed), flag (F published, C confidential, D secondary suppression) and
    the change since the previous report where one is published."""
    out = []
    for table in body["tables"]:
        changes = {key: (value, flag) for key, value, flag in changes_of(table)}
        for key, value, flag in cells_of(table):
            row: dict[str, Any] = {
                "host_state": body["host_state"],
                "reference_date": body["reference_date"],
                "table": table["name"],
            }
            row.update(zip(table["dims"], key, strict=True))
            row["value"], row["flag"] = value, flag
            change = changes.get(key)
            row["change"] = change[0] if change else None
            out.append(row)
    return out


def _columns(body: dict[str, Any]) -> list[str]:
    dims = dimension_columns(body)
    return ["host_state", "reference_date", "table", *dims, "value", "flag", "change"]


def to_csv(body: dict[str, Any]) -> bytes:
    stream = io.StringIO()
    columns = _columns(body)
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows(body):
        writer.writerow({k: "" if row.get(k) is None else safe_cell(str(row[k])) for k in columns})
    return stream.getvalue().encode("utf-8")


def to_xlsx(body: dict[str, Any]) -> bytes:
    workbook = Workbook(write_only=True)
    for table in body["tables"]:
        sheet = workbook.create_sheet(table["name"][:31])
        sheet.append([*table["dims"], "value", "flag"])
        for key, value, flag in cells_of(table):
            sheet.append([*(safe_cell(k) for k in key), value, flag])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def to_sdmx(body: dict[str, Any]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("structure.xml", sdmx.structure_xml(body))
        for table in body["tables"]:
            archive.writestr(f"{sdmx.dataflow_id(table)}.csv", sdmx.data_csv(body, table))
    return stream.getvalue()


def render(report: SituationReport, format: str, *, lang: str, settings: Any) -> bytes:
    if format == "csv":
        return to_csv(report.body)
    if format == "xlsx":
        return to_xlsx(report.body)
    if format == "sdmx":
        return to_sdmx(report.body)
    from kervan.exchange.keys import load_signing_key
    from kervan.reports.pdf import report_pdf

    return report_pdf(report, lang, kid=load_signing_key(settings).kid)
