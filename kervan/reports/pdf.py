"""The report as a PDF in one of the 8 languages: each table as a two-way summary (its first
two dimensions, the others at their totals), suppressed cells marked with their flag, dated,
with the audit's figures. Fonts as diplomacy's passes (one Unicode font for every script)."""

from __future__ import annotations

from typing import Any

from fpdf import FPDF, XPos, YPos

from kervan.diplomacy.rendering import DEFAULT_FONT
from kervan.reports import labels
from kervan.reports.models import SituationReport
from kervan.reports.report import cells_of
from kervan.reports.tables import TOTAL
from kervan.web.i18n import N_, Translator

HEADING = N_("Situation report of %(state)s")
PERIOD = N_("Period %(start)s to %(end)s; revision %(revision)s")
RULES = N_(
    "Cells below %(threshold)s are suppressed (C); further cells are suppressed (D) so that "
    "none can be worked out within %(protection)s of its value, also from earlier reports."
)
SIGNED = N_(
    "This file is signed by the node of %(state)s (key %(kid)s); the detached signature is "
    "the file of the same name ending in .jws."
)
MAX_COLUMNS = 8  # wider tables are cut to their totals column (the CSV has every cell)


def two_way(table: dict[str, Any]) -> tuple[list[str], list[str], dict[tuple[str, str], str]]:
    """Rows (first dimension), columns (second, or one column), and each cell as printed."""
    dims = table["dims"]
    rows = list(table["categories"][0])
    columns = list(table["categories"][1]) if len(dims) > 1 else [""]
    if len(columns) > MAX_COLUMNS:
        columns = [c for c in columns if c == TOTAL] or columns[:MAX_COLUMNS]
    printed: dict[tuple[str, str], str] = {}
    for key, value, flag in cells_of(table):
        if any(k != TOTAL for k in key[2:]):
            continue
        column = key[1] if len(dims) > 1 else ""
        printed[(key[0], column)] = flag if value is None else f"{value:,}".replace(",", " ")
    return rows, columns, printed


def report_pdf(report: SituationReport, lang: str, *, kid: str = "") -> bytes:
    translator = Translator(lang)
    body = report.body
    pdf = FPDF(orientation="landscape", format="A4", unit="mm")
    pdf.set_auto_page_break(True, 12)
    # The same report renders to the same bytes, so a signature made later still verifies.
    pdf.set_creation_date(report.generated_at)
    pdf.add_font("report", fname=str(DEFAULT_FONT))
    pdf.add_page()
    line: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    state = labels.category(translator, "host_state", body["host_state"])
    pdf.set_font("report", size=15)
    pdf.multi_cell(0, 8, translator.gettext(HEADING, state=state), **line)
    pdf.set_font("report", size=9)
    period = translator.gettext(
        PERIOD, start=body["period_start"], end=body["reference_date"], revision=report.revision
    )
    pdf.multi_cell(0, 5, period, **line)
    protection = format(body["protection"], "g")
    rules = translator.gettext(RULES, threshold=body["threshold"], protection=protection)
    pdf.multi_cell(0, 5, rules, **line)
    if kid:
        pdf.multi_cell(0, 5, translator.gettext(SIGNED, state=state, kid=kid), **line)
    for table in body["tables"]:
        _table(pdf, translator, table)
    return bytes(pdf.output())


def _table(pdf: FPDF, translator: Translator, table: dict[str, Any]) -> None:
    rows, columns, printed = two_way(table)
    line: dict[str, Any] = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    pdf.ln(3)
    pdf.set_font("report", size=11)
    pdf.multi_cell(0, 6, labels.title(translator, table["name"]), **line)
    pdf.set_font("report", size=7.5)
    dims = table["dims"]
    first = 60.0
    width = (pdf.w - pdf.l_margin - pdf.r_margin - first) / max(len(columns), 1)
    names = table.get("names")
    head = [labels.dimension(translator, dims[0])]
    head += [
        labels.category(translator, dims[1], c, names) if len(dims) > 1 else "" for c in columns
    ]
    for i, text in enumerate(head):
        pdf.cell(first if i == 0 else width, 5, text[:40], border=1)
    pdf.ln()
    for row in rows:
        pdf.cell(first, 5, labels.category(translator, dims[0], row, names)[:40], border=1)
        for column in columns:
            pdf.cell(width, 5, printed.get((row, column), ""), border=1, align="R")
        pdf.ln()
