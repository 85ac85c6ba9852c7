"""Hostile and careless import files over the API: each limit (bytes, rows, columns, cell
length, an XLSX's inflated size, JSON depth) refuses the file with a small problem document
and an audit entry, never a 500, never an echo of the file's megabytes, nothing written."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.config import Settings
from kervan.registry.models import StayDocument
from kervan.registry.transfer.columns import COLUMNS
from kervan.registry.transfer.samples import SampleRow, sample_rows, write_rows
from kervan.web.app import create_app
from tests.functional.test_transfer_api import PROBLEM, csv_bytes

# Small limits, so that each hostile file is small too.
LIMITS = {
    "import_max_bytes": 64 * 1024,
    "import_max_rows": 20,
    "import_max_columns": 24,
    "import_max_cell_chars": 300,
    "import_xlsx_max_uncompressed_bytes": 4 * 1024 * 1024,
    "import_xlsx_max_shared_strings_bytes": 256 * 1024,
}
# No answer to a hostile file is larger than this, whatever the file held.
SMALL_ANSWER = 8 * 1024


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings.model_copy(update=LIMITS))
    yield app
    app.state.engine.dispose()


@pytest.fixture(scope="module")
def rows() -> list[SampleRow]:
    return list(sample_rows(5, seed=11))


def _post(client: TestClient, name: str, content: bytes) -> tuple[int, dict, int]:
    response = client.post("/api/v1/imports", files={"file": (name, content)})
    assert response.status_code < 500, response.text[:2000]
    assert response.headers["content-type"] == PROBLEM or response.status_code == 200
    return response.status_code, response.json(), len(response.content)


def _refusals(factory: sessionmaker[Session]) -> list[AuditEntry]:
    with factory() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(
                    AuditEntry.action == "register.import", AuditEntry.outcome == "rejected"
                )
            )
        )


def _documents(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(StayDocument)) or 0


def _refused(
    officer_client: TestClient, app: FastAPI, name: str, content: bytes, status: int
) -> dict:
    code, body, size = _post(officer_client, name, content)
    assert code == status, body
    assert size < SMALL_ANSWER
    (entry,) = _refusals(app.state.session_factory)
    assert len(json.dumps(entry.details)) < 2 * 1024  # the append-only log keeps little of it
    assert _documents(app.state.session_factory) == 0
    return body


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_file_past_the_size_limit_is_413(officer_client: TestClient, app: FastAPI) -> None:
    content = b"x" * (LIMITS["import_max_bytes"] + 1)
    body = _refused(officer_client, app, "big.csv", content, 413)
    assert "KERVAN_IMPORT_MAX_BYTES" in body["detail"]


def test_a_file_past_the_row_limit_is_413_and_writes_nothing(
    officer_client: TestClient, app: FastAPI, tmp_path: Path
) -> None:
    path = tmp_path / "many.jsonl"
    write_rows(path, sample_rows(LIMITS["import_max_rows"] + 5, seed=2), "jsonl")
    body = _refused(officer_client, app, "many.jsonl", path.read_bytes(), 413)
    assert "KERVAN_IMPORT_MAX_ROWS" in body["detail"]


def test_a_header_past_the_column_limit_is_413(officer_client: TestClient, app: FastAPI) -> None:
    header = ",".join([*COLUMNS, *(f"extra{i}" for i in range(30))])
    body = _refused(officer_client, app, "wide.csv", header.encode() + b"\n", 413)
    assert "KERVAN_IMPORT_MAX_COLUMNS" in body["detail"]


def test_a_huge_column_name_is_not_echoed(officer_client: TestClient, app: FastAPI) -> None:
    """The column name is longer than any line of a register: refused without quoting it."""
    header = ",".join(COLUMNS) + "," + "A" * 60_000
    body = _refused(officer_client, app, "name.csv", header.encode() + b"\n", 422)
    assert "A" * 100 not in json.dumps(body)


def test_a_long_unknown_column_is_quoted_cut(officer_client: TestClient, app: FastAPI) -> None:
    header = ",".join(COLUMNS) + "," + "B" * 2_000
    body = _refused(officer_client, app, "name.csv", header.encode() + b"\n", 422)
    assert "unknown column" in body["detail"] and "B" * 100 not in body["detail"]


def test_a_long_cell_fails_its_row_without_being_quoted(
    officer_client: TestClient, app: FastAPI, rows: list[SampleRow]
) -> None:
    bad = [dict(rows[0], primary_name="Ж" * 5_000), *rows[1:]]
    body = _refused(officer_client, app, "cell.csv", csv_bytes(bad), 422)
    (error,) = body["errors"]
    assert error["row"] == 2 and "longer than 300 characters" in error["message"]
    assert "ЖЖЖЖ" not in json.dumps(body)


def test_a_bad_value_is_quoted_cut(
    officer_client: TestClient, app: FastAPI, rows: list[SampleRow]
) -> None:
    bad = [dict(rows[0], birth_date="1" * 290), *rows[1:]]
    body = _refused(officer_client, app, "date.csv", csv_bytes(bad), 422)
    (error,) = body["errors"]
    assert error["column"] == "birth_date" and len(error["message"]) < 120


def test_a_nul_in_a_cell_fails_its_row(
    officer_client: TestClient, app: FastAPI, rows: list[SampleRow]
) -> None:
    bad = [dict(rows[0], primary_name="Kar\x00imov"), *rows[1:]]
    body = _refused(officer_client, app, "nul.csv", csv_bytes(bad), 422)
    assert "control character" in body["errors"][0]["message"]


def _with_part(name: str, content: bytes) -> bytes:
    """A workbook with a header row and one more part, deflated."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_xlsx([list(COLUMNS)]))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        bomb.writestr(name, content)
    return out.getvalue()


def test_an_xlsx_with_a_huge_shared_string_is_refused_before_it_is_inflated(
    officer_client: TestClient, app: FastAPI
) -> None:
    strings = b"<sst><si><t>" + b"Q" * 300_000 + b"</t></si></sst>"
    workbook = _with_part("xl/sharedStrings.xml", strings)
    assert len(workbook) < 16 * 1024  # small on the wire
    body = _refused(officer_client, app, "bomb.xlsx", workbook, 413)
    assert "SHARED_STRINGS" in body["detail"]


def test_an_xlsx_that_inflates_past_the_limit_is_refused(
    officer_client: TestClient, app: FastAPI
) -> None:
    """A zip bomb: one part of 5 MiB of zeros, a few KiB compressed."""
    workbook = _with_part("xl/padding.xml", b"\0" * (5 * 1024 * 1024))
    body = _refused(officer_client, app, "bomb.xlsx", workbook, 413)
    assert "UNCOMPRESSED" in body["detail"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("deep_array.json", b"[" * 5_000 + b"]" * 5_000),
        ("deep_object.json", b'[{"a": ' * 3_000 + b"1" + b"}]" * 3_000),
        ("deep_line.jsonl", b'{"a": ' * 1_500 + b"1" + b"}" * 1_500 + b"\n"),
        ("nested_cell.json", json.dumps([{**dict.fromkeys(COLUMNS, "x"), "sex": {"a": [1]}}])),
    ],
    ids=["deep-array", "deep-object", "deep-line", "nested-cell"],
)
def test_deeply_nested_json_is_a_422_with_an_audit_entry(
    officer_client: TestClient, app: FastAPI, name: str, content: bytes | str
) -> None:
    data = content.encode() if isinstance(content, str) else content
    body = _refused(officer_client, app, name, data, 422)
    assert "nested" in body["detail"] or "object or array" in json.dumps(body)


def test_a_valid_xlsx_imports_over_the_api(
    officer_client: TestClient, app: FastAPI, rows: list[SampleRow], tmp_path: Path
) -> None:
    path = tmp_path / "register.xlsx"
    write_rows(path, rows, "xlsx")
    code, body, _ = _post(officer_client, "register.xlsx", path.read_bytes())
    assert code == 200, body
    assert (body["format"], body["outcome"], body["documents_created"]) == ("xlsx", "imported", 5)
