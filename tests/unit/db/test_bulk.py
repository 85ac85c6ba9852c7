"""The bulk-write plans, without a database: what each column becomes, and that a value given
as a Python object and the same value in storage form are written alike."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import JSON, Column, Date, MetaData, Numeric, String, Table, TypeDecorator, Uuid

from kervan.db.base import UTCDateTime
from kervan.db.bulk import bulk_plan
from kervan.db.metadata import metadata
from kervan.registry.enums import Sex

TABLE = Table(
    "plan_samples",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("at", UTCDateTime),
    Column("day", Date),
    Column("body", JSON),
    Column("amount", Numeric(12, 2)),
)
DIALECTS = ("sqlite", "postgresql")


def written(dialect: str, row: dict[str, Any]) -> tuple[Any, ...]:
    (values,) = bulk_plan(TABLE, tuple(row), dialect).values([row])
    return values


@pytest.mark.parametrize("dialect", DIALECTS)
def test_plans_are_made_once(dialect: str) -> None:
    assert bulk_plan(TABLE, ("id", "at"), dialect) is bulk_plan(TABLE, ("id", "at"), dialect)
    assert bulk_plan(TABLE, ("id", "at"), dialect) is not bulk_plan(TABLE, ("at", "id"), dialect)


def test_every_register_table_gets_binary_copy_on_postgresql() -> None:
    # A column type the plan does not know falls back to text COPY; none of ours may.
    for table in metadata.sorted_tables:
        plan = bulk_plan(table, tuple(table.columns.keys()), "postgresql")
        assert plan.binary_forms is not None, table.name
        assert plan.statement.endswith("(FORMAT BINARY)")


def test_a_type_it_does_not_know_makes_text_copy() -> None:
    class Code(TypeDecorator[str]):
        impl = String(10)
        cache_ok = True

    table = Table("codes", MetaData(), Column("id", Uuid), Column("code", Code))
    plan = bulk_plan(table, ("id", "code"), "postgresql")
    assert plan.binary_forms is None and "BINARY" not in plan.statement
    key = uuid.uuid4()
    assert list(plan.values([{"id": key, "code": "x"}])) == [(key, "x")]  # not bytes


def test_sqlite_storage_forms() -> None:
    key = uuid.UUID("0190f3a2-7c1e-7d3a-9b2e-5f6a7b8c9d0e")
    at = dt.datetime(2026, 5, 1, 14, 0, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    row = {"id": key, "at": at, "day": dt.date(2026, 5, 1), "body": {"ad": "Гүлнара"}}
    assert written("sqlite", row | {"amount": Decimal("12.50")}) == (
        key.hex,
        "2026-05-01 09:00:00.000005",
        "2026-05-01",
        '{"ad": "Гүлнара"}',
        12.5,
    )


def test_sqlite_storage_forms_are_normalised() -> None:
    key = uuid.UUID("0190f3a2-7c1e-7d3a-9b2e-5f6a7b8c9d0e")
    row = {"id": key.hex.upper(), "at": "2026-05-01T09:00:00", "day": "20260501"}
    assert written("sqlite", row) == (key.hex, "2026-05-01 09:00:00.000000", "2026-05-01")


def test_postgresql_binary_forms() -> None:
    key = uuid.uuid4()
    at = dt.datetime(2026, 5, 1, 14, tzinfo=dt.UTC)
    plan = bulk_plan(TABLE, ("id", "at", "day", "body", "amount"), "postgresql")
    assert plan.binary_forms == ("bytea", "timestamptz", "date", "text", "numeric")
    (values,) = plan.values(
        [{"id": str(key), "at": at, "day": "2026-05-01", "body": [1], "amount": "1.5"}]
    )
    assert values == (key.bytes, at, dt.date(2026, 5, 1), "[1]", Decimal("1.5"))


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("at", dt.datetime(2026, 1, 1)),
        ("at", 1767225600),
        ("day", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
        ("day", "2026-13-01"),
        ("body", "plain words"),
        ("id", 7),
        ("id", "0190f3a2"),
        ("amount", "twelve"),
        ("amount", False),
    ],
)
def test_wrong_values_raise(dialect: str, column: str, value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        written(dialect, {column: value})


def test_enum_columns_take_members_or_values_only() -> None:
    persons = metadata.tables["persons"]
    plan = bulk_plan(persons, ("sex",), "sqlite")
    assert list(plan.values([{"sex": Sex.FEMALE}, {"sex": "M"}, {"sex": None}])) == [
        ("F",),
        ("M",),
        (None,),
    ]
    with pytest.raises(ValueError, match="'FEMALE' is not one of"):
        list(plan.values([{"sex": "FEMALE"}]))


def test_only_sqlite_and_postgresql() -> None:
    with pytest.raises(ValueError, match="only SQLite and PostgreSQL"):
        bulk_plan(TABLE, ("id",), "mysql")


def test_columns_must_be_the_tables() -> None:
    with pytest.raises(ValueError, match="nickname"):
        bulk_plan(TABLE, ("id", "nickname"), "sqlite")


zones = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-9, minutes=-30))]) | st.timezones()


@given(
    key=st.uuids(),
    at=st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(2100, 12, 30), timezones=zones),
    day=st.dates(),
    body=st.dictionaries(st.text(), st.integers() | st.text(), max_size=3),
    amount=st.decimals(places=2, allow_nan=False, allow_infinity=False),
)
def test_a_value_and_its_storage_forms_are_written_alike(
    key: uuid.UUID, at: dt.datetime, day: dt.date, body: dict[str, Any], amount: Decimal
) -> None:
    utc = at.astimezone(dt.UTC)
    python = {"id": key, "at": at, "day": day, "body": body, "amount": amount}
    storage_forms = [
        {"id": key.hex, "at": utc.strftime("%Y-%m-%d %H:%M:%S.%f"), "day": day.isoformat()},
        {"id": str(key), "at": at.isoformat(), "day": day.isoformat()},
    ]
    for dialect in DIALECTS:
        expected = written(dialect, python)
        for form in storage_forms:
            given_form = form | {
                "body": json.dumps(body, ensure_ascii=False),
                "amount": str(amount),
            }
            assert written(dialect, given_form) == expected, (dialect, form)
