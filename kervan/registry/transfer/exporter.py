"""Export of stay documents with their persons, in the import row format (CSV or a JSON array),
streamed from a server-side cursor: the register is never loaded into memory, and an export
imports back into an empty register as the same persons and documents."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, Literal, TextIO, get_args

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from kervan.accounts import audit
from kervan.accounts.policy import nationality_scope, require
from kervan.accounts.roles import Permission, Principal
from kervan.errors import InvalidInput
from kervan.registry import messages
from kervan.registry.models import Person, StayDocument, TravelDocument
from kervan.registry.queries import DocumentFilter, apply_document_filters
from kervan.registry.transfer.columns import COLUMNS
from kervan.registry.transfer.validation import birth_text
from kervan.spreadsheet import safe_cell

ExportFormat = Literal["csv", "json"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
ExportRow = tuple[str | None, ...]  # in ``COLUMNS`` order; None: no value (JSON null)

#: Rows fetched per round trip of the server-side cursor.
YIELD_PER = 5000
#: Rows per text chunk handed to the writer or the HTTP response.
_ROWS_PER_CHUNK = 1000

MEDIA_TYPES: dict[str, str] = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def export_format(name: str) -> ExportFormat:
    value = name.strip().lower()
    if value not in EXPORT_FORMATS:
        raise InvalidInput(
            f"unknown export format {name!r}: expected csv or json",
            code=messages.EXPORT_FORMAT,
            params={"format": name},
        )
    return value  # type: ignore[return-value]


def _query(
    principal: Principal, host_state: str, filters: DocumentFilter
) -> Select[*tuple[Any, ...]]:
    # A person may hold several travel documents; the row carries the first one registered
    # (UUIDv7 ids sort by creation), which is the one an import of the row would create.
    other = aliased(TravelDocument)
    first_travel_document = (
        select(other.id)
        .where(other.person_id == Person.id)
        .order_by(other.id)
        .limit(1)
        .correlate(Person)
        .scalar_subquery()
    )
    query = (
        select(
            Person.primary_name,
            Person.secondary_name,
            Person.patronymic,
            Person.primary_identifier,
            Person.secondary_identifier,
            Person.nationality,
            Person.birth_year,
            Person.birth_month,
            Person.birth_day,
            Person.sex,
            TravelDocument.number,
            TravelDocument.issuing_state,
            TravelDocument.expiry_date,
            StayDocument.kind,
            StayDocument.number,
            StayDocument.purpose,
            StayDocument.valid_from,
            StayDocument.valid_until,
            StayDocument.status,
            StayDocument.region,
        )
        .select_from(StayDocument)
        .join(Person, Person.id == StayDocument.person_id)
        .outerjoin(TravelDocument, TravelDocument.id == first_travel_document)
        .where(
            StayDocument.host_state == host_state,
            nationality_scope(principal, StayDocument.nationality),
        )
    )
    query = apply_document_filters(query, filters)
    return query.order_by(StayDocument.id).execution_options(yield_per=YIELD_PER)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def export_rows(
    session: Session, principal: Principal, filters: DocumentFilter, *, host_state: str
) -> Iterator[ExportRow]:
    """The documents matching ``filters`` that ``principal`` may see, one row at a time."""
    require(principal, Permission.REGISTER_EXPORT)
    for values in session.execute(_query(principal, host_state, filters)):
        (pn, sn, pat, pi, si, nat, year, month, day, sex, *rest) = values
        yield (
            pn,
            sn,
            pat,
            pi,
            si,
            nat,
            birth_text((year, month, day)),
            str(sex),
            *(_text(v) for v in rest),
        )


def record_export(
    session: Session, principal: Principal, filters: DocumentFilter, file_format: str
) -> None:
    """The one audit entry of an export (written before the rows are streamed)."""
    require(principal, Permission.REGISTER_EXPORT)
    audit.record(
        session,
        principal,
        "register.export",
        record_type="stay_document",
        details={
            "format": file_format,
            "filters": {k: str(v) for k, v in vars(filters).items() if v is not None},
        },
    )


def _csv_chunks(rows: Iterable[ExportRow]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for count, row in enumerate(rows, start=1):
        writer.writerow([safe_cell(v) if isinstance(v, str) else v for v in row])
        if count % _ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_chunks(rows: Iterable[ExportRow]) -> Iterator[str]:
    parts: list[str] = []
    separator = "[\n"
    for row in rows:
        parts.append(
            separator + json.dumps(dict(zip(COLUMNS, row, strict=True)), ensure_ascii=False)
        )
        separator = ",\n"
        if len(parts) == _ROWS_PER_CHUNK:
            yield "".join(parts)
            parts.clear()
    parts.append("[]\n" if separator == "[\n" else "\n]\n")
    yield "".join(parts)


def encode(rows: Iterable[ExportRow], file_format: ExportFormat) -> Iterator[str]:
    """The export file as text chunks of about a thousand rows each."""
    return _csv_chunks(rows) if file_format == "csv" else _json_chunks(rows)


def write_export(
    session: Session,
    principal: Principal,
    out: TextIO,
    file_format: ExportFormat,
    filters: DocumentFilter,
    *,
    host_state: str,
) -> int:
    """Audit and write a whole export to ``out`` on one session (the CLI's path); return the
    number of rows written."""
    record_export(session, principal, filters, file_format)
    count = 0

    def counted(rows: Iterator[ExportRow]) -> Iterator[ExportRow]:
        nonlocal count
        for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is the point
            yield row

    for chunk in encode(
        counted(export_rows(session, principal, filters, host_state=host_state)), file_format
    ):
        out.write(chunk)
    return count
