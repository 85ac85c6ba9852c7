"""Import files made from the synthetic register (``kervan.registry.synthetic``), in any import
format: sample data for the demo, the tests and the import benchmark. Rows stream from the
generator to the file, so a sample of a million rows never sits in memory."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kervan.registry.synthetic.generator import Batch, generate
from kervan.registry.transfer.columns import COLUMNS
from kervan.registry.transfer.formats import FileFormat
from kervan.registry.transfer.validation import birth_text

SampleRow = dict[str, str]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _batch_rows(batch: Batch) -> Iterator[SampleRow]:
    persons = {p["id"]: p for p in batch.persons}
    passports = {t["person_id"]: t for t in batch.travel_documents}
    for document in batch.stay_documents:
        person = persons[document["person_id"]]
        passport = passports[document["person_id"]]
        yield {
            "primary_name": person["primary_name"],
            "secondary_name": person["secondary_name"],
            "patronymic": person["patronymic"],
            "primary_identifier": person["primary_identifier"],
            "secondary_identifier": person["secondary_identifier"],
            "nationality": person["nationality"],
            "birth_date": birth_text(
                (person["birth_year"], person["birth_month"], person["birth_day"])
            ),
            "sex": _text(person["sex"]),
            "passport_number": passport["number"],
            "passport_issuing_state": passport["issuing_state"],
            "passport_expiry": _text(passport["expiry_date"]),
            "document_kind": _text(document["kind"]),
            "document_number": document["number"],
            "purpose": _text(document["purpose"]),
            "valid_from": _text(document["valid_from"]),
            "valid_until": _text(document["valid_until"]),
            "status": _text(document["status"]),
            "region": document["region"] or "",
        }


def sample_rows(
    count: int, *, seed: int = 1, host_state: str = "KAZ", today: dt.date | None = None
) -> Iterator[SampleRow]:
    """``count`` import rows (one per stay document) of a synthetic register; the same
    arguments give the same rows."""
    for batch in generate(
        count, seed=seed, host_state=host_state, today=today or dt.date(2026, 1, 1)
    ):
        yield from _batch_rows(batch)


def write_rows(path: Path, rows: Iterable[SampleRow], file_format: FileFormat) -> int:
    """Write ``rows`` as an import file; return how many were written."""
    writers = {"csv": _write_csv, "json": _write_json, "jsonl": _write_jsonl, "xlsx": _write_xlsx}
    return writers[file_format](path, rows)


def _write_csv(path: Path, rows: Iterable[SampleRow]) -> int:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
        writer.writeheader()
        count = 0
        for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is returned
            writer.writerow(row)
    return count


def _write_json(path: Path, rows: Iterable[SampleRow]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        for count, row in enumerate(rows, start=1):
            out.write(("\n" if count == 1 else ",\n") + json.dumps(row, ensure_ascii=False))
        out.write("\n]\n")
    return count


def _write_jsonl(path: Path, rows: Iterable[SampleRow]) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is returned
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return count


def _write_xlsx(path: Path, rows: Iterable[SampleRow]) -> int:
    import openpyxl  # imported here: only XLSX samples pay for it

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("register")
    sheet.append(list(COLUMNS))
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007 - the count is returned
        sheet.append([row.get(c, "") for c in COLUMNS])
    workbook.save(path)
    return count


def repeated_rows(
    count: int, *, seed: int = 1, distinct: int = 500, first: int = 0
) -> Iterator[SampleRow]:
    """``count`` rows of as many distinct persons and documents (numbered from ``first``), the
    person columns taken in turn from ``distinct`` synthetic rows: cheap to make at any size
    (for memory tests), with names repeating as they do in a real register."""
    base = list(sample_rows(distinct, seed=seed))
    for index in range(first, first + count):
        row = dict(base[index % len(base)])
        kind_letter = row["document_kind"][0].upper()
        row["passport_number"] = f"P{index:08d}"
        row["document_number"] = f"{kind_letter}K{index:08d}"
        yield row
