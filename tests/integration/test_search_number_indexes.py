"""Every number an officer types is looked up through an index of its own, on both databases
(a full scan of the stay documents took 52-90 ms at 100,000 persons and grew with the register)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select, text

from kervan.registry.models import StayDocument, TravelDocument

NUMBER_LOOKUPS = [
    (select(StayDocument.person_id).where(StayDocument.number == "WK12345678"), "stay_documents"),
    (
        select(TravelDocument.person_id).where(TravelDocument.number == "FA1234567"),
        "travel_documents",
    ),
]


@pytest.mark.parametrize(("lookup", "table"), NUMBER_LOOKUPS)
def test_number_lookups_use_an_index(engine: Engine, lookup: object, table: str) -> None:
    compiled = lookup.compile(engine, compile_kwargs={"literal_binds": True})  # type: ignore[attr-defined]
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = " ".join(
                str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
            )
            assert f"ix_{table}_number" in plan, plan
        else:
            connection.execute(text("SET enable_seqscan = off"))  # an empty table: force the choice
            plan = " ".join(row[0] for row in connection.execute(text(f"EXPLAIN {compiled}")))
            assert f"ix_{table}_number" in plan, plan
