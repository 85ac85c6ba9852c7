"""kervan/registry/transfer/reconcile.py: a wave of staged rows meets the register as the
import's one-row-at-a-time rules say — a new passport makes a person, a known document is
corrected only where the row changes it (a blank status or region keeps the document's), a row
that describes its passport's person otherwise or names another person's document is refused
column by column — and a file imported twice changes nothing the second time."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kervan.registry.models import StayDocument, StayDocumentEvent
from kervan.registry.transfer.batches import RecordIds
from kervan.registry.transfer.chunks import ChunkMaker
from kervan.registry.transfer.reconcile import (
    ImportContext,
    WaveResult,
    person_problems,
    reconcile_wave,
)
from kervan.registry.transfer.samples import SampleRow, sample_rows
from kervan.registry.transfer.staging import Staging
from kervan.registry.transfer.storage import uuid7_hex
from kervan.registry.transfer.validation import parse_rows

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
CTX = ImportContext(host_state="KAZ", actor="importer", reason="import of test.csv")
TEMPLATES = list(sample_rows(6, seed=3, host_state="KAZ"))
# Each example stages its rows in the test's session and rolls them back.
ON_DATABASE = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def rolled_back(session: Session) -> Iterator[Session]:
    yield session
    session.rollback()


def reconcile(session: Session, rows: list[SampleRow]) -> WaveResult:
    """Every wave of ``rows`` (as a file's rows 2…) reconciled; the results summed."""
    connection = session.connection()
    maker = ChunkMaker(connection.dialect.name, RecordIds(uuid7_hex()), batch_history=False)
    staging = Staging.create(connection)
    total = WaveResult()
    numbered = iter(list(enumerate(rows, start=2)))
    for chunk in maker.chunks(numbered, 100):
        assert chunk.errors == []
        for wave in chunk.waves:
            staging.load(wave)
            result = reconcile_wave(connection, CTX, wave, now=NOW, notify=True)
            total.persons_created += result.persons_created
            total.documents_created += result.documents_created
            total.corrected += result.corrected
            total.unchanged += result.unchanged
            total.rejected += result.rejected
            total.errors += result.errors
            total.changed_ids += result.changed_ids
    staging.drop()
    session.expire_all()
    return total


def counts(result: WaveResult) -> tuple[int, int, int, int, list[int]]:
    return (
        result.persons_created,
        result.documents_created,
        result.corrected,
        result.unchanged,
        result.rejected,
    )


def document(session: Session, number: str) -> StayDocument:
    return session.scalars(select(StayDocument).where(StayDocument.number == number)).one()


def test_new_rows_create_persons_documents_and_their_history(rolled_back: Session) -> None:
    rows = TEMPLATES[:3]
    result = reconcile(rolled_back, rows)
    holders = len({r["passport_number"] for r in rows})  # a person may hold two documents
    assert counts(result) == (holders, 3, 0, 0, [])
    assert len(result.changed_ids) == 3
    issued = document(rolled_back, rows[0]["document_number"])
    assert (issued.purpose, issued.region, str(issued.status)) == (
        rows[0]["purpose"],
        rows[0]["region"],
        "active",
    )
    [event] = rolled_back.scalars(
        select(StayDocumentEvent).where(StayDocumentEvent.document_id == issued.id)
    )
    assert (event.kind, event.actor, event.reason, event.old_values) == (
        "issued",
        "importer",
        "import of test.csv",
        {},
    )
    assert event.new_values["number"] == rows[0]["document_number"]


def test_a_known_document_is_corrected_only_where_the_row_changes_it(
    rolled_back: Session,
) -> None:
    row = TEMPLATES[0]
    reconcile(rolled_back, [row])
    longer = {**row, "valid_until": "2027-08-14", "status": "", "region": ""}
    result = reconcile(rolled_back, [longer])
    assert counts(result) == (0, 0, 1, 0, [])
    corrected = document(rolled_back, row["document_number"])
    # A blank status or region keeps the document's.
    assert (corrected.valid_until, corrected.region) == (dt.date(2027, 8, 14), row["region"])
    event = rolled_back.scalars(
        select(StayDocumentEvent).where(StayDocumentEvent.kind == "corrected")
    ).one()
    assert event.old_values == {"valid_until": row["valid_until"]}
    assert event.new_values == {"valid_until": "2027-08-14"}
    assert result.changed_ids == [corrected.id]
    again = reconcile(rolled_back, [longer])
    assert counts(again) == (0, 0, 0, 1, []) and again.changed_ids == []


def test_a_row_describing_its_passports_person_otherwise_is_refused_by_column(
    rolled_back: Session,
) -> None:
    row = TEMPLATES[0]
    reconcile(rolled_back, [row])
    other = {**row, "primary_name": "Otherova", "sex": "M", "document_number": "WK12345678"}
    result = reconcile(rolled_back, [other])
    assert counts(result) == (0, 0, 0, 0, [2])
    assert sorted(e.column or "" for e in result.errors) == ["primary_name", "sex"]
    assert all("an import never changes a person" in e.message for e in result.errors)
    assert rolled_back.scalar(select(func.count()).select_from(StayDocument)) == 1


def test_another_persons_document_is_refused(rolled_back: Session) -> None:
    first, second = TEMPLATES[0], TEMPLATES[1]
    reconcile(rolled_back, [first, second])
    taken = {**second, "document_kind": first["document_kind"]}
    taken["document_number"] = first["document_number"]
    result = reconcile(rolled_back, [taken])
    assert counts(result) == (0, 0, 0, 0, [2])
    assert [e.column for e in result.errors] == ["document_number"]
    assert "in the register for another person" in result.errors[0].message


@ON_DATABASE
@given(data=st.data())
def test_a_file_imported_twice_changes_nothing_the_second_time(
    session: Session, data: st.DataObject
) -> None:
    try:
        picks = data.draw(st.lists(st.integers(0, len(TEMPLATES) - 1), min_size=1, max_size=6))
        variants = data.draw(st.lists(st.sampled_from(["", "revoked", "KZ-19"]), min_size=6))
        rows = []
        for pick, variant in zip(picks, variants, strict=False):
            row = dict(TEMPLATES[pick])
            if variant == "revoked":
                row["status"] = "revoked"
            elif variant:
                row["region"] = variant
            rows.append(row)
        first = reconcile(session, rows)
        # Every row is new, a correction of an earlier row of the file, or unchanged by it.
        assert first.rejected == []
        assert first.persons_created == len({r["passport_number"] for r in rows})
        assert first.documents_created == len({r["document_number"] for r in rows})
        assert first.documents_created + first.corrected + first.unchanged == len(rows)
        last = {r["document_number"]: r for r in rows}  # what the file leaves
        second = reconcile(session, list(last.values()))
        assert counts(second) == (0, 0, 0, len(last), [])
        for number, row in last.items():
            stored = document(session, number)
            assert (str(stored.status), stored.region) == (row["status"], row["region"])
    finally:
        session.rollback()


def _known(row: Any, **changes: Any) -> Any:
    """The register's side of a disagreement, as ``person_problems`` reads it."""
    values = {
        "primary_name": row.primary_name,
        "secondary_name": row.secondary_name,
        "patronymic": row.patronymic,
        "nationality": row.nationality,
        "birth_year": row.birth[0],
        "birth_month": row.birth[1],
        "birth_day": row.birth[2],
        "sex": row.sex,
        "primary_identifier": row.primary_identifier or "X",
        "secondary_identifier": row.secondary_identifier or "Y",
        "passport_expiry": row.passport_expiry,
    }
    return type("Known", (), {**values, **changes})


@given(st.integers(0, len(TEMPLATES) - 1), st.randoms())
def test_person_problems_name_exactly_the_columns_that_differ(
    pick: int, rng: random.Random
) -> None:
    [row], errors = parse_rows([(2, TEMPLATES[pick])])
    assert errors == []
    assert person_problems(row, _known(row)) == []
    changed = rng.sample(["primary_name", "sex", "nationality"], rng.randint(1, 3))
    problems = person_problems(row, _known(row, **{c: "ZZZ" for c in changed}))
    assert sorted(p.column or "" for p in problems) == sorted(changed)
