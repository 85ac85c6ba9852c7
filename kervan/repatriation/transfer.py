"""Return requests from a consulate's spreadsheet (CSV or XLSX): one row per traveller, the rows
of a group sharing its ``group`` value (the first row is the applicant). Every row is checked
before anything is stored; the report names each refused row by its number (the header is
row 1), and a file with any refused row stores nothing, so a corrected file can be sent again
whole."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from kervan.repatriation.schemas import ReturnRequestCreate, TravellerIn
from kervan.spreadsheet import read_cell

MAX_ROWS = 20_000  # a consulate's list; a larger one is several files
MAX_BYTES = 10 * 1024 * 1024
REQUEST_COLUMNS = (
    "host_state", "origin", "destination", "destination_city", "earliest_date",
    "document_status", "priority_reasons", "contact", "consent",
)  # fmt: skip
TRAVELLER_COLUMNS = (
    "primary_identifier", "secondary_identifier", "birth_date", "sex", "passport_number",
    "passport_state", "relationship_to_applicant",
)  # fmt: skip
COLUMNS = ("group", *REQUEST_COLUMNS, *TRAVELLER_COLUMNS)
YES = {"yes", "y", "true", "1", "x"}


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.column}: {self.message}"


@dataclass
class ImportPlan:
    """The requests a file holds, or the rows that stop it."""

    requests: list[ReturnRequestCreate] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def rows_of(content: bytes, filename: str) -> Iterator[dict[str, str]]:
    """The file's rows as ``{column: text}`` (header names lower-cased, cells stripped)."""
    if len(content) > MAX_BYTES:
        raise ValueError(f"the file is larger than {MAX_BYTES // 1024 // 1024} MB")
    if filename.lower().endswith(".xlsx"):
        yield from _xlsx_rows(content)
        return
    text = content.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    for values in reader:
        yield {h: read_cell(v.strip()) for h, v in zip(header, values, strict=False)}


def _xlsx_rows(content: bytes) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [str(h or "").strip().lower() for h in next(values, ())]
    for row in values:
        yield {h: _cell_text(v) for h, v in zip(header, row, strict=False)}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "date") and callable(value.date):  # a date cell comes as a datetime
        return value.date().isoformat()
    return str(value).strip()


def plan_import(rows: Iterator[dict[str, str]]) -> ImportPlan:
    """Group the rows into requests and check each against the API's own shapes."""
    plan = ImportPlan()
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for number, row in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            plan.problems.append(RowProblem(number, "-", f"more than {MAX_ROWS} rows"))
            break
        if not any(row.values()):
            continue
        groups.setdefault(row.get("group") or f"row {number}", []).append((number, row))
    for members in groups.values():
        request = _request_of(members, plan.problems)
        if request is not None:
            plan.requests.append(request)
    plan.problems.sort(key=lambda p: p.row)
    return plan


def _request_of(
    members: list[tuple[int, dict[str, str]]], problems: list[RowProblem]
) -> ReturnRequestCreate | None:
    travellers: list[TravellerIn] = []
    for number, row in members:
        given = {c: row.get(c, "") for c in TRAVELLER_COLUMNS if row.get(c, "")}
        try:
            travellers.append(TravellerIn.model_validate(given))
        except ValidationError as exc:
            problems.extend(_problems(number, exc))
    first, head = members[0]
    data: dict[str, Any] = {c: head.get(c, "") for c in REQUEST_COLUMNS}
    data["priority_reasons"] = head.get("priority_reasons", "").replace(";", " ").split()
    data["consent"] = head.get("consent", "").lower() in YES
    data["travellers"] = travellers
    try:
        request = ReturnRequestCreate.model_validate(data)
    except ValidationError as exc:
        problems.extend(_problems(first, exc))
        return None
    if not request.consent:
        problems.append(RowProblem(first, "consent", "the person's consent is required"))
        return None
    return request if len(travellers) == len(members) else None


def _problems(row: int, exc: ValidationError) -> list[RowProblem]:
    found = []
    for error in exc.errors():
        location = [str(p) for p in error["loc"]]
        column = location[-1] if location else "-"
        if location[:1] == ["travellers"]:
            continue  # a traveller's own row reports it
        found.append(RowProblem(row, column, error["msg"]))
    return found
