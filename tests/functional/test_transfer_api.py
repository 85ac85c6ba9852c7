"""Imports and exports over HTTP, on SQLite and PostgreSQL: reports, 422 problem documents with
row errors, garbage uploads (never a 500), streamed exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kervan.accounts.roles import Role
from kervan.registry.transfer.columns import COLUMNS
from kervan.registry.transfer.samples import SampleRow, sample_rows, write_rows
from tests.functional.shared_app import app_of_the_module, module_app  # noqa: F401 - one app a module

PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def rows() -> list[SampleRow]:
    return list(sample_rows(30, seed=3))


def csv_bytes(rows: list[SampleRow]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(client: TestClient, name: str, content: bytes, **fields: str) -> dict:
    response = client.post("/api/v1/imports", files={"file": (name, content)}, data=fields)
    assert response.status_code < 500, response.text
    return {
        "status": response.status_code,
        "type": response.headers["content-type"],
        "body": response.json(),
    }


def test_import_returns_the_report(officer_client: TestClient, rows: list[SampleRow]) -> None:
    result = upload(officer_client, "register.csv", csv_bytes(rows))
    assert result["status"] == 200
    body = result["body"]
    assert (body["outcome"], body["rows"], body["documents_created"]) == ("imported", 30, 30)
    again = upload(officer_client, "register.csv", csv_bytes(rows))["body"]
    assert (again["unchanged"], again["documents_created"]) == (30, 0)


def test_dry_run_and_format_field(
    officer_client: TestClient, rows: list[SampleRow], tmp_path: Path
) -> None:
    path = tmp_path / "rows.jsonl"
    write_rows(path, rows, "jsonl")
    result = upload(officer_client, "export.txt", path.read_bytes(), format="jsonl", dry_run="true")
    assert result["status"] == 200
    assert (result["body"]["outcome"], result["body"]["format"]) == ("dry_run", "jsonl")
    exported = officer_client.get("/api/v1/exports/stay-documents?format=json")
    assert exported.json() == []


def test_bad_rows_all_or_nothing_is_a_422_problem_with_the_row_errors(
    officer_client: TestClient, rows: list[SampleRow]
) -> None:
    bad = [*rows[:3], {**rows[3], "nationality": "XYZ", "sex": "?"}, *rows[4:]]
    result = upload(officer_client, "bad.csv", csv_bytes(bad))
    assert (result["status"], result["type"]) == (422, PROBLEM)
    body = result["body"]
    assert body["type"].endswith("/import-rejected") and body["status"] == 422
    assert body["outcome"] == "rejected" and body["error_count"] == 2
    assert body["errors"][0] == {
        "row": 5,
        "column": "nationality",
        "message": "'XYZ' is not an ISO 3166-1 alpha-3 or ICAO 9303 state code",
    }
    assert body["errors"][1]["column"] == "sex"
    exported = officer_client.get("/api/v1/exports/stay-documents?format=json")
    assert exported.json() == []  # nothing was written


def test_partial_import_over_the_api(officer_client: TestClient, rows: list[SampleRow]) -> None:
    bad = [*rows[:3], {**rows[3], "valid_from": "someday"}, *rows[4:]]
    result = upload(officer_client, "bad.csv", csv_bytes(bad), all_or_nothing="false")
    assert result["status"] == 200
    assert (result["body"]["documents_created"], result["body"]["rows_rejected"]) == (29, 1)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.csv", bytes(range(256)) * 50),
        ("garbage.csv", b"this is not, a register\nat all\n"),
        ("garbage.json", b"{not json"),
        ("garbage.json", b"[1, 2, 3"),
        ("garbage.xlsx", b"PK\x03\x04 not really a zip"),
        ("garbage.xlsx", b""),
        ("garbage.pdf", b"%PDF-1.4"),
        ("", b"x"),
    ],
    ids=[
        "binary",
        "text",
        "broken-json",
        "unclosed-json",
        "fake-zip",
        "empty-xlsx",
        "pdf",
        "no-name",
    ],
)
def test_garbage_uploads_are_4xx_problems_never_500(
    officer_client: TestClient, name: str, content: bytes
) -> None:
    result = upload(officer_client, name, content)
    assert 400 <= result["status"] < 500
    assert result["type"] == PROBLEM
    assert result["body"]["detail"]


def test_missing_file_is_a_problem(officer_client: TestClient) -> None:
    response = officer_client.post("/api/v1/imports", data={"dry_run": "true"})
    assert (response.status_code, response.headers["content-type"]) == (422, PROBLEM)


def test_export_streams_csv_that_imports_back(
    officer_client: TestClient, rows: list[SampleRow]
) -> None:
    upload(officer_client, "register.csv", csv_bytes(rows))
    response = officer_client.get("/api/v1/exports/stay-documents")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    exported = list(csv.DictReader(io.StringIO(response.text)))
    assert len(exported) == 30 and list(exported[0]) == list(COLUMNS)
    again = upload(officer_client, "export.csv", response.content)["body"]
    assert (again["outcome"], again["unchanged"]) == ("imported", 30)


def test_export_filters(officer_client: TestClient, rows: list[SampleRow]) -> None:
    upload(officer_client, "register.csv", csv_bytes(rows))
    nationality = rows[0]["nationality"]
    response = officer_client.get(
        "/api/v1/exports/stay-documents",
        params={"format": "json", "nationality": nationality.lower()},
    )
    exported = json.loads(response.text)
    assert {r["nationality"] for r in exported} == {nationality}
    assert len(exported) == sum(r["nationality"] == nationality for r in rows)
    kind = officer_client.get(
        "/api/v1/exports/stay-documents", params={"format": "json", "kind": "visa"}
    ).json()
    assert all(r["document_kind"] == "visa" for r in kind)
    bad = officer_client.get("/api/v1/exports/stay-documents", params={"format": "xml"})
    assert (bad.status_code, bad.headers["content-type"]) == (422, PROBLEM)


@pytest.mark.parametrize("role", [Role.CONSULAR_OFFICER, Role.SECRETARIAT_ANALYST])
def test_only_roles_that_may_import_and_export(client_as: object, role: Role) -> None:
    client = client_as(role)  # type: ignore[operator]
    imported = client.post("/api/v1/imports", files={"file": ("r.csv", b"x")})
    exported = client.get("/api/v1/exports/stay-documents")
    assert (imported.status_code, exported.status_code) == (403, 403)


def test_anonymous_callers_are_refused(anonymous_client: TestClient) -> None:
    response = anonymous_client.get("/api/v1/exports/stay-documents")
    assert (response.status_code, response.headers["content-type"]) == (401, PROBLEM)


def test_the_register_export_neutralises_formulas_and_imports_back(
    officer_client: TestClient, rows: list[SampleRow]
) -> None:
    """Names are free text: one that a spreadsheet would run is written with an apostrophe,
    as the audit export does, and an import takes the apostrophe off again."""
    names = {
        rows[0]["passport_number"]: {"primary_name": '=HYPERLINK("http://evil.example","x")'},
        rows[1]["passport_number"]: {"secondary_name": "-@SUM(1)", "patronymic": "+1"},
    }
    hostile = [dict(row, **names.get(row["passport_number"], {})) for row in rows]
    first = upload(officer_client, "hostile.csv", csv_bytes(hostile))
    assert first["status"] == 200, first["body"]["errors"]
    exported = officer_client.get("/api/v1/exports/stay-documents?format=csv").text
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells and "'-@SUM(1)" in cells
    again = upload(officer_client, "again.csv", exported.encode())["body"]
    assert (again["unchanged"], again["documents_created"]) == (len(rows), 0)
