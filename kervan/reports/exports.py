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

from kervan.reports import labels, sdmx
from kervan.reports.models import SituationReport
from kervan.reports.report import cells_of, changes_of
from kervan.spreadsheet import safe_cell
from kervan.web.i18n import Translator

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


def rows(body: dict[str, Any], translator: Translator) -> list[dict[str, Any]]:
    """One row per published cell: host state, reference date, table, each dimension's code
    and its name in ``translator``'s language (``<dimension>_label``), value (empty when
    suppressed), flag (F published, C confidential, D secondary suppression) and the change
    since the previous report where one is published."""
    out = []
    for table in body["tables"]:
        changes = {key: (value, flag) for key, value, flag in changes_of(table)}
        names = table.get("names")
        for key, value, flag in cells_of(table):
            row: dict[str, Any] = {
                "host_state": body["host_state"],
                "reference_date": body["reference_date"],
                "table": table["name"],
            }
            for dim, code in zip(table["dims"], key, strict=True):
                row[dim] = code
                row[f"{dim}_label"] = labels.category(translator, dim, code, names)
            row["value"], row["flag"] = value, flag
            change = changes.get(key)
            row["change"] = change[0] if change else None
            out.append(row)
    return out


def _columns(body: dict[str, Any]) -> list[str]:
    dims = [column for dim in dimension_columns(body) for column in (dim, f"{dim}_label")]
    return ["host_state", "reference_date", "table", *dims, "value", "flag", "change"]


def to_csv(body: dict[str, Any], lang: str = "en") -> bytes:
    stream = io.StringIO()
    columns = _columns(body)
    writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows(body, Translator(lang)):
        writer.writerow({k: "" if row.get(k) is None else safe_cell(str(row[k])) for k in columns})
    return stream.getvalue().encode("utf-8")


def to_xlsx(body: dict[str, Any], lang: str = "en") -> bytes:
    """One sheet per table: each dimension's name in ``lang`` (its code beside it), value and
    flag."""
    translator = Translator(lang)
    workbook = Workbook(write_only=True)
    for table in body["tables"]:
        sheet = workbook.create_sheet(table["name"][:31])
        dims = table["dims"]
        head = [labels.dimension(translator, d) for d in dims]
        codes = [translator.gettext(labels.CODE_LABEL, dimension=h) for h in head]
        counted = [translator.gettext(labels.VALUE_LABEL), translator.gettext(labels.FLAG_LABEL)]
        sheet.append([*head, *codes, *counted])
        names = table.get("names")
        for key, value, flag in cells_of(table):
            named = [
                labels.category(translator, d, c, names) for d, c in zip(dims, key, strict=True)
            ]
            sheet.append(
                [*(safe_cell(n) for n in named), *(safe_cell(k) for k in key), value, flag]
            )
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
        return to_csv(report.body, lang)
    if format == "xlsx":
        return to_xlsx(report.body, lang)
    if format == "sdmx":
        return to_sdmx(report.body)
    from kervan.exchange.keys import load_signing_key
    from kervan.reports.pdf import report_pdf

    return report_pdf(report, lang, kid=load_signing_key(settings).kid)
