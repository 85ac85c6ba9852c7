"""The region of a stay through imports and exports: optional, checked, corrected with history."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.registry.models import StayDocument, StayDocumentEvent
from kervan.registry.queries import DocumentFilter
from kervan.registry.transfer import exporter
from kervan.registry.transfer.columns import COLUMNS
from kervan.registry.transfer.samples import sample_rows, write_rows
from kervan.uow import unit_of_work
from tests.integration.import_support import HOST, run_import, write_csv


def _regions(factory: sessionmaker[Session]) -> dict[str, str | None]:
    with factory() as session:
        return dict(session.execute(select(StayDocument.number, StayDocument.region)).all())


def test_region_is_imported_corrected_with_history_and_exported(
    session_factory: sessionmaker[Session], officer: Principal, tmp_path: Path
) -> None:
    rows = list(sample_rows(6, seed=21))
    assert all(r["region"] and r["region"].startswith("KZ-") for r in rows)
    report = run_import(session_factory, officer, write_csv(tmp_path / "a.csv", rows))
    assert (report.documents_created, report.error_count) == (6, 0)
    assert _regions(session_factory) == {r["document_number"]: r["region"] for r in rows}

    # An XLSX that moves one stay, leaves another's region empty (kept) and names a bad region.
    moved, kept, bad = rows[0], rows[1], rows[2]
    new_region = "KZ-71" if moved["region"] != "KZ-71" else "KZ-75"
    changed = [{**moved, "region": new_region}, {**kept, "region": ""}, {**bad, "region": "KZ-99"}]
    workbook = tmp_path / "b.xlsx"
    write_rows(workbook, changed, "xlsx")
    report = run_import(session_factory, officer, workbook, all_or_nothing=False)
    assert (report.documents_corrected, report.unchanged, report.rows_rejected) == (1, 1, 1)
    [error] = report.errors
    assert (error.row, error.column, error.code, error.params) == (
        4,
        "region",
        "register.region-code",
        {"region": "KZ-99"},
    )
    regions = _regions(session_factory)
    assert regions[moved["document_number"]] == new_region
    assert regions[kept["document_number"]] == kept["region"]
    with session_factory() as session:
        event = session.scalars(
            select(StayDocumentEvent)
            .join(StayDocument, StayDocument.id == StayDocumentEvent.document_id)
            .where(StayDocument.number == moved["document_number"])
            .order_by(StayDocumentEvent.id.desc())
        ).first()
    assert event is not None and str(event.kind) == "corrected"
    assert (event.old_values, event.new_values) == (
        {"region": moved["region"]},
        {"region": new_region},
    )

    # A file without the column still loads, and leaves the regions as they are.
    without = tmp_path / "c.csv"
    with without.open("w", encoding="utf-8", newline="") as out:
        columns = [c for c in COLUMNS if c != "region"]
        writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[3:])
    report = run_import(session_factory, officer, without)
    assert (report.unchanged, report.error_count) == (3, 0)
    assert _regions(session_factory) == regions

    with unit_of_work(session_factory) as session:
        exported = list(exporter.export_rows(session, officer, DocumentFilter(), host_state=HOST))
    assert {r[COLUMNS.index("document_number")]: r[-1] for r in exported} == regions
