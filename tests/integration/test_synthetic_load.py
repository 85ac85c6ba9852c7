"""Loading synthetic data with COPY (PostgreSQL) and executemany (SQLite), read back through the
ORM. Runs on both databases through the shared ``engine`` fixture; the PostgreSQL half skips,
saying why, when ``KERVAN_TEST_DATABASE_URL`` is unset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session

from kervan.db.metadata import metadata
from kervan.registry.models import (
    Person,
    StayDocument,
    StayDocumentEvent,
    TravelDocument,
    Violation,
)
from kervan.registry.synthetic import Batch, LoadError, Row, generate, load

TODAY = dt.date(2025, 6, 1)
MODELS: dict[str, type[Any]] = {
    "persons": Person,
    "travel_documents": TravelDocument,
    "stay_documents": StayDocument,
    "stay_document_events": StayDocumentEvent,
    "violations": Violation,
}


def _ensure_schema(engine: Engine) -> None:
    # The shared fixtures migrate with Alembic; create the tables if a migration lacks them.
    if not inspect(engine).has_table("persons"):
        metadata.create_all(engine)


def _batches(count: int = 600) -> list[Batch]:
    return list(generate(count, seed=5, host_state="KAZ", today=TODAY, batch_documents=200))


def _assert_reads_back(session: Session, table: str, row: Row) -> None:
    loaded = session.get(MODELS[table], row["id"])
    assert loaded is not None, (table, row["id"])
    for column, value in row.items():
        assert getattr(loaded, column) == value, (table, column)


def test_load_streams_every_row_and_reads_back_through_the_orm(engine: Engine) -> None:
    _ensure_schema(engine)
    batches = _batches()
    reported: list[int] = []
    stats = load(engine, batches, progress=reported.append)

    assert stats.documents == 600 == reported[-1]
    assert reported == sorted(reported) and len(reported) == len(batches)
    with Session(engine) as session:
        for table, model in MODELS.items():
            expected = sum(len(getattr(b, table)) for b in batches)
            assert stats.rows[table] == expected
            assert session.scalar(select(func.count()).select_from(model)) == expected
        for batch in (batches[0], batches[-1]):
            for table, rows in batch.tables():
                for row in rows[:25]:
                    _assert_reads_back(session, table, row)
    assert stats.rows_per_second > 0


def test_relationships_resolve_after_load(engine: Engine) -> None:
    _ensure_schema(engine)
    batches = _batches(60)
    load(engine, batches)
    person_row = batches[0].persons[0]
    with Session(engine) as session:
        person = session.get(Person, person_row["id"])
        assert person is not None
        assert [t.person_id for t in person.travel_documents] == [person.id]
        documents = [d for d in batches[0].stay_documents if d["person_id"] == person.id]
        assert {d.id for d in person.stay_documents} == {d["id"] for d in documents}
        assert all(len(d.events) == 1 for d in person.stay_documents)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # a SQLite setting
def test_sqlite_page_cache_is_restored_after_the_load(engine: Engine) -> None:
    _ensure_schema(engine)

    def cache_size() -> int:
        with engine.connect() as connection:
            return int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())

    before = cache_size()
    load(engine, _batches(20))
    assert cache_size() == before


def test_a_failing_batch_is_rolled_back_and_earlier_batches_stay(engine: Engine) -> None:
    _ensure_schema(engine)
    batches = _batches(400)
    load(engine, batches[:1])
    with pytest.raises(LoadError, match=r"batch 2 \(documents 201-40\d\) was not loaded"):
        load(engine, [batches[1], batches[0]])  # batches[0] again: duplicate keys
    with Session(engine) as session:
        persons = session.scalar(select(func.count()).select_from(Person))
    assert persons == len(batches[0].persons) + len(batches[1].persons)
