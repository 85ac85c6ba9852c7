"""``import_file`` against the real register, on SQLite and PostgreSQL: formats, idempotence,
corrections, all-or-nothing, partial imports and dry runs."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal
from kervan.registry.models import (
    Person,
    PersonEvent,
    StayDocument,
    StayDocumentEvent,
    TravelDocument,
)
from kervan.registry.naming import name_columns
from kervan.registry.transfer.columns import COLUMNS
from kervan.registry.transfer.samples import SampleRow, sample_rows, write_rows
from tests.integration.import_support import HOST, run_import, write_csv

TABLES = (Person, TravelDocument, PersonEvent, StayDocument, StayDocumentEvent)


@pytest.fixture(scope="module")
def rows() -> list[SampleRow]:
    return list(sample_rows(60, seed=7, host_state=HOST))


def counts(factory: sessionmaker[Session]) -> dict[str, int]:
    with factory() as session:
        return {
            m.__tablename__: session.scalar(select(func.count()).select_from(m)) or 0
            for m in TABLES
        }


@pytest.mark.parametrize("file_format", ["csv", "json", "jsonl", "xlsx"])
def test_a_good_file_in_every_format(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
    file_format: Any,
) -> None:
    path = tmp_path / f"register.{file_format}"
    write_rows(path, rows, file_format)
    report = run_import(session_factory, officer, path)
    passports = {(r["passport_issuing_state"], r["passport_number"]) for r in rows}
    assert (report.outcome, report.error_count, report.errors) == ("imported", 0, [])
    assert (report.rows, report.documents_created, report.persons_created) == (
        60,
        60,
        len(passports),
    )
    assert counts(session_factory) == {
        "persons": len(passports),
        "travel_documents": len(passports),
        "person_events": len(passports),
        "stay_documents": 60,
        "stay_document_events": 60,
    }


def test_imported_persons_have_the_derived_name_columns(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    run_import(session_factory, officer, write_csv(tmp_path / "r.csv", rows))
    first = rows[0]
    with session_factory() as session:
        person = session.scalars(
            select(Person)
            .join(TravelDocument)
            .where(TravelDocument.number == first["passport_number"])
        ).one()
        event = session.scalars(
            select(StayDocumentEvent)
            .join(StayDocument)
            .where(StayDocument.number == first["document_number"])
        ).one()
        [history] = session.scalars(
            select(PersonEvent).where(PersonEvent.person_id == person.id)
        ).all()
    expected = name_columns(
        first["primary_name"],
        first["secondary_name"],
        first["primary_identifier"],
        first["secondary_identifier"],
    )
    assert {k: getattr(person, k) for k in expected.as_dict()} == expected.as_dict()
    assert (event.kind, event.reason, event.actor) == ("issued", "import of r.csv", officer.actor)
    assert (event.old_values, event.new_values) == (
        {},
        {
            k: first[f]
            for k, f in [
                ("number", "document_number"),
                ("purpose", "purpose"),
                ("valid_from", "valid_from"),
                ("valid_until", "valid_until"),
                ("status", "status"),
                ("region", "region"),  # the sample rows name one
            ]
        },
    )
    assert (history.kind, history.reason) == ("created", "import of r.csv")
    assert history.new_values["primary_name"] == first["primary_name"]
    assert history.new_values["birth_date"] == first["birth_date"]


def test_importing_the_same_file_twice_creates_nothing_twice(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    path = write_csv(tmp_path / "register.csv", rows)
    run_import(session_factory, officer, path)
    before = counts(session_factory)
    again = run_import(session_factory, officer, path)
    assert (again.persons_created, again.documents_created, again.documents_corrected) == (0, 0, 0)
    assert again.unchanged == 60
    assert counts(session_factory) == before


def test_a_changed_document_is_corrected_with_history(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    run_import(session_factory, officer, write_csv(tmp_path / "first.csv", rows))
    changed = [*rows[:5], {**rows[5], "valid_until": "2031-12-31", "purpose": "family"}]
    report = run_import(session_factory, officer, write_csv(tmp_path / "second.csv", changed))
    assert (report.documents_corrected, report.unchanged) == (1, 5)
    with session_factory() as session:
        document = session.scalars(
            select(StayDocument).where(StayDocument.number == rows[5]["document_number"])
        ).one()
        [event] = session.scalars(
            select(StayDocumentEvent).where(
                StayDocumentEvent.document_id == document.id, StayDocumentEvent.kind == "corrected"
            )
        ).all()
    assert (str(document.valid_until), document.purpose) == ("2031-12-31", "family")
    assert event.reason == "import of second.csv"
    assert event.old_values == {
        "purpose": rows[5]["purpose"],
        "valid_until": rows[5]["valid_until"],
    }
    assert event.new_values == {"purpose": "family", "valid_until": "2031-12-31"}


@pytest.mark.parametrize("chunk_rows", [1, 2, 1000])
def test_the_same_document_twice_in_a_file_is_handled_alike_in_any_chunking(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
    chunk_rows: int,
) -> None:
    a, b = rows[0], rows[1]
    later_a = {**a, "valid_until": "2032-01-31"}
    path = write_csv(tmp_path / "twice.csv", [a, b, a, later_a])
    report = run_import(session_factory, officer, path, chunk_rows=chunk_rows)
    assert (report.documents_created, report.unchanged, report.documents_corrected) == (2, 1, 1)
    with session_factory() as session:
        kinds = sorted(session.scalars(select(StayDocumentEvent.kind)).all())
        until = session.scalar(
            select(StayDocument.valid_until).where(StayDocument.number == a["document_number"])
        )
    assert kinds == ["corrected", "issued", "issued"]
    assert str(until) == "2032-01-31"


def test_a_row_that_disagrees_with_its_person_is_an_error_never_an_overwrite(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    run_import(session_factory, officer, write_csv(tmp_path / "first.csv", rows[:1]))
    other_birth = "1901-XX-XX" if rows[0]["birth_date"] != "1901-XX-XX" else "1902-XX-XX"
    disagreeing = {
        **rows[0],
        "birth_date": other_birth,
        "sex": "X",
        "document_number": rows[1]["document_number"],
        "document_kind": rows[1]["document_kind"],
    }
    report = run_import(session_factory, officer, write_csv(tmp_path / "r.csv", [disagreeing]))
    assert report.outcome == "rejected"
    assert [(e.row, e.column) for e in report.errors] == [(2, "birth_date"), (2, "sex")]
    assert "differs from" in report.errors[0].message
    assert counts(session_factory)["stay_documents"] == 1


def test_a_document_of_another_person_is_an_error(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    other = next(r for r in rows if r["passport_number"] != rows[0]["passport_number"])
    stolen = {
        **other,
        "document_kind": rows[0]["document_kind"],
        "document_number": rows[0]["document_number"],
    }
    report = run_import(
        session_factory,
        officer,
        write_csv(tmp_path / "r.csv", [rows[0], stolen]),
        all_or_nothing=False,
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "document_number")]
    assert "another person" in report.errors[0].message


def _with_bad_row(rows: list[SampleRow]) -> list[SampleRow]:
    return [*rows[:10], {**rows[10], "nationality": "XYZ"}, *rows[11:20]]


def test_all_or_nothing_leaves_the_register_unchanged(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    report = run_import(
        session_factory, officer, write_csv(tmp_path / "r.csv", _with_bad_row(rows))
    )
    assert report.outcome == "rejected" and report.rows_rejected == 1
    assert [e.text() for e in report.errors] == [
        "row 12, column nationality: 'XYZ' is not an ISO 3166-1 alpha-3 or ICAO 9303 state code"
    ]
    assert set(counts(session_factory).values()) == {0}
    with session_factory() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "register.import"))
        [audited] = entry.all()
    assert audited.outcome == "rejected" and audited.details["rows_rejected"] == 1


def test_partial_import_writes_the_good_rows(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    path = write_csv(tmp_path / "r.csv", _with_bad_row(rows))
    report = run_import(session_factory, officer, path, all_or_nothing=False)
    assert (report.outcome, report.documents_created, report.rows_rejected) == ("imported", 19, 1)
    assert counts(session_factory)["stay_documents"] == 19


def test_dry_run_counts_what_an_import_would_do_and_writes_nothing(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
) -> None:
    report = run_import(session_factory, officer, write_csv(tmp_path / "r.csv", rows), dry_run=True)
    assert (report.outcome, report.documents_created) == ("dry_run", 60)
    assert set(counts(session_factory).values()) == {0}
    with session_factory() as session:
        [audited] = session.scalars(select(AuditEntry.details)).all()
    assert audited["dry_run"] is True and audited["file_name"] == "r.csv"


BAD_CELLS: dict[str, str] = {
    "primary_name": "",
    "secondary_name": "Y" * 201,
    "primary_identifier": "Каримов",
    "nationality": "XYZ",
    "birth_date": "1990-13-01",
    "sex": "male",
    "passport_number": "A-1",
    "passport_issuing_state": "QQQ",
    "passport_expiry": "soon",
    "document_kind": "permit",
    "document_number": "-",
    "purpose": "holiday",
    "valid_from": "2025-02-29",
    "valid_until": "tomorrow",
    "status": "expired",
}


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_corrupted_cells_of_a_valid_file_are_named_exactly(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    rows: list[SampleRow],
    data: st.DataObject,
) -> None:
    cells = data.draw(
        st.sets(
            st.tuples(st.integers(0, 19), st.sampled_from(sorted(BAD_CELLS))),
            min_size=1,
            max_size=6,
        )
    )
    corrupted = [dict(r) for r in rows[:20]]
    for index, column in cells:
        corrupted[index][column] = BAD_CELLS[column]
    path = tmp_path / "corrupted.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS)
        writer.writeheader()
        writer.writerows(corrupted)
    report = run_import(session_factory, officer, path, dry_run=True)
    assert {(e.row, e.column) for e in report.errors} == {(i + 2, c) for i, c in cells}
