"""``bulk_insert`` round trips, on SQLite and PostgreSQL: rows written through the bulk path read
back through SQLAlchemy as what was given, whether values come as Python objects or already in
storage form, for all of a table's columns or some; wrong values are refused, never stored."""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    Engine,
    Enum,
    Integer,
    MetaData,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    Uuid,
    select,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kervan.db.base import UTCDateTime
from kervan.db.bulk import bulk_insert, bulk_plan
from kervan.db.ids import uuid7
from kervan.registry.enums import Sex, StayKind, StayPurpose, StayStatus
from kervan.registry.models import Person, StayDocument
from kervan.registry.naming import name_columns


class Colour(enum.StrEnum):
    RED = "red"
    DARK_GREEN = "dark-green"


class Upper(TypeDecorator[str]):
    """A type the bulk path does not know: written through its own bind processor."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else value.upper()


SAMPLES = Table(
    "bulk_samples",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("at", UTCDateTime),
    Column("day", Date),
    Column(
        "colour",
        Enum(Colour, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e]),
    ),
    Column("body", JSON),
    Column("amount", Numeric(12, 2)),
    Column("name", String(200)),
    Column("note", Text),
    Column("small", SmallInteger),
    Column("number", Integer),
    Column("big", BigInteger),
    Column("flag", Boolean),
    prefixes=["TEMPORARY"],
)
UNKNOWN = Table(
    "bulk_unknown",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("code", Upper),
    prefixes=["TEMPORARY"],
)
# 20 drawn examples (40 before: 64 s of the suite on CI) and the explicit edge cases of
# EDGE_CASES below, which every run tries first, whatever the draw.
PROPERTY_SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# ----------------------------------------------------------------------------------------------
# Values, each with the forms a caller may give it in: (Python value, storage forms)

text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=60)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | text
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
zones = (
    st.sampled_from(
        [
            dt.UTC,
            dt.timezone(dt.timedelta(hours=5)),
            dt.timezone(dt.timedelta(hours=-3, minutes=-30)),
        ]
    )
    | st.timezones()
)
instants = st.datetimes(dt.datetime(1900, 1, 2), dt.datetime(2100, 12, 30), timezones=zones)


def _storage_instants(value: dt.datetime) -> list[Any]:
    utc = value.astimezone(dt.UTC)
    # SQLite's naive UTC text, the importer's ISO text with offset on PostgreSQL, either as given
    return [utc.strftime("%Y-%m-%d %H:%M:%S.%f"), utc.isoformat(), value.isoformat()]


COLUMNS: dict[str, Any] = {
    "at": instants.flatmap(
        lambda v: st.sampled_from([v, *_storage_instants(v)]).map(lambda f: (v, f))
    ),
    "day": st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).flatmap(
        lambda v: st.sampled_from([v, v.isoformat()]).map(lambda f: (v, f))
    ),
    "colour": st.sampled_from(Colour).flatmap(
        lambda v: st.sampled_from([v, v.value]).map(lambda f: (v, f))
    ),
    "body": st.dictionaries(text, json_values, max_size=4).flatmap(
        lambda v: st.sampled_from([v, json.dumps(v), json.dumps(v, ensure_ascii=False)]).map(
            lambda f: (v, f)
        )
    ),
    "amount": st.decimals(-(10**10) + 1, 10**10 - 1, places=2, allow_nan=False).flatmap(
        lambda v: st.sampled_from([v, str(v)]).map(lambda f: (v, f))
    ),
    "name": text.map(lambda v: (v, v)),
    "note": st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00")).map(
        lambda v: (v, v)
    ),
    "small": st.integers(-(2**15), 2**15 - 1).map(lambda v: (v, v)),
    "number": st.integers(-(2**31), 2**31 - 1).map(lambda v: (v, v)),
    "big": st.integers(-(2**63), 2**63 - 1).map(lambda v: (v, v)),
    "flag": st.booleans().map(lambda v: (v, v)),
}
ids = st.uuids().flatmap(lambda v: st.sampled_from([v, v.hex, str(v)]).map(lambda f: (v, f)))


def _cell(column: str) -> Any:
    return st.none().map(lambda _: (None, None)) | COLUMNS[column]


@st.composite
def tables_of_rows(draw: Any) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Some of the columns (always the key), and rows over them: what is expected to read back,
    and what is given (each value as a Python object or in a storage form)."""
    columns = draw(st.lists(st.sampled_from(sorted(COLUMNS)), unique=True))
    expected, given = [], []
    for key in draw(st.lists(ids, min_size=1, max_size=12, unique_by=lambda p: p[0])):
        cells = {c: draw(_cell(c)) for c in columns}
        expected.append({"id": key[0]} | {c: v for c, (v, _) in cells.items()})
        given.append({"id": key[1]} | {c: f for c, (_, f) in cells.items()})
    return ["id", *columns], expected, given


def _case(
    *rows: dict[str, tuple[Any, Any]],
) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """A case as ``tables_of_rows`` draws one, from rows of (Python value, form given) pairs."""
    columns = [c for c in rows[0] if c != "id"]
    expected = [{c: v for c, (v, _) in row.items()} for row in rows]
    given = [{c: f for c, (_, f) in row.items()} for row in rows]
    return ["id", *columns], expected, given


_ABIDJAN = dt.datetime(1912, 1, 1, 0, 0, tzinfo=ZoneInfo("Africa/Abidjan"), fold=1)
_KEY_1 = uuid.UUID("0190a000-0000-7000-8000-000000000001")
_KEY_2 = uuid.UUID("0190a000-0000-7000-8000-000000000002")
_KEY_3 = uuid.UUID("0190a000-0000-7000-8000-000000000003")
# The bounds of every column, in Python form and in storage form, a row of nothing but nulls,
# and a table of the key alone: what a small draw may miss.
EDGE_CASES = [
    _case({"id": (_KEY_1, _KEY_1)}),
    _case(
        {
            "id": (_KEY_1, _KEY_1.hex),
            "at": (dt.datetime(1900, 1, 2, tzinfo=dt.UTC), "1900-01-02 00:00:00.000000"),
            "day": (dt.date(1900, 1, 1), "1900-01-01"),
            "colour": (Colour.DARK_GREEN, "dark-green"),
            "body": (
                {"ключ": ["ü", None, 2**53, -1.5e-300]},
                '{"ключ": ["ü", null, 9007199254740992, -1.5e-300]}',
            ),
            "amount": (Decimal("-9999999999.99"), "-9999999999.99"),
            "name": ("Ғафуров Ўткир 😀", "Ғафуров Ўткир 😀"),
            "note": ("", ""),
            "small": (-(2**15), -(2**15)),
            "number": (-(2**31), -(2**31)),
            "big": (-(2**63), -(2**63)),
            "flag": (False, False),
        },
        {
            "id": (_KEY_2, str(_KEY_2)),
            "at": (_ABIDJAN, _ABIDJAN.isoformat()),
            "day": (dt.date(2100, 12, 31), dt.date(2100, 12, 31)),
            "colour": (Colour.RED, Colour.RED),
            "body": ({}, {}),
            "amount": (Decimal("9999999999.99"), Decimal("9999999999.99")),
            "name": ("x" * 60, "x" * 60),
            "note": ("a\nb\tc" * 100, "a\nb\tc" * 100),
            "small": (2**15 - 1, 2**15 - 1),
            "number": (2**31 - 1, 2**31 - 1),
            "big": (2**63 - 1, 2**63 - 1),
            "flag": (True, True),
        },
        {"id": (_KEY_3, _KEY_3)} | {c: (None, None) for c in COLUMNS},
    ),
]


def _with_edge_cases(test: Any) -> Any:
    for case in EDGE_CASES:
        test = example(case=case)(test)
    return test


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that is rolled back, temporary tables and all."""
    with engine.connect() as connection:
        connection.begin()
        yield connection
        connection.rollback()


def _read_back(connection: Connection, table: Table) -> dict[uuid.UUID, dict[str, Any]]:
    return {row.id: row._asdict() for row in connection.execute(select(table))}


def _found_by_value(connection: Connection, row: dict[str, Any]) -> Any:
    """The row found by comparing its columns with the Python values in SQL: values are stored
    in SQLAlchemy's own form, not only in one that reads back alike."""
    compared = [
        SAMPLES.c[column] == value
        for column, value in row.items()
        if column in ("id", "at", "day", "colour", "amount") and value is not None
    ]
    return connection.scalar(select(SAMPLES.c.id).where(*compared))


@PROPERTY_SETTINGS
@_with_edge_cases
@given(case=tables_of_rows())
def test_rows_read_back_as_given(engine: Engine, case: Any) -> None:
    _columns, expected, given_rows = case
    with engine.connect() as connection:
        connection.begin()
        SAMPLES.create(connection)
        try:
            assert bulk_insert(connection, SAMPLES, given_rows) == len(given_rows)
            stored = _read_back(connection, SAMPLES)
            found = [_found_by_value(connection, row) for row in expected]
        finally:
            connection.rollback()
    assert set(stored) == {row["id"] for row in expected}
    assert found == [row["id"] for row in expected]
    for row in expected:
        back = stored[row["id"]]
        for column in SAMPLES.columns.keys():  # noqa: SIM118 (a ColumnCollection)
            given = row.get(column)
            if column == "at" and given is not None:
                # A local time in a zone's fold (clocks set back, e.g. Abidjan's LMT ending at
                # 1912-01-01 00:00) never equals another zone's time under PEP 495: compare
                # the instants.
                given = given.astimezone(dt.UTC)
            assert back[column] == given, column
        if row.get("at") is not None:
            assert back["at"].utcoffset() == dt.timedelta(0)
        if row.get("colour") is not None:
            assert back["colour"] is row["colour"]


def test_storage_form_rows_read_back_through_the_orm(engine: Engine) -> None:
    """What the importer writes: hex ids, timestamp and date text, enum values."""
    dialect = engine.dialect.name
    now = dt.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=dt.UTC)
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else now.isoformat()
    person_id, document_id = uuid7(), uuid7()
    names = name_columns("Ахмедова", "Гульнара").as_dict()
    with Session(engine) as session, session.begin():
        connection = session.connection()
        person = {
            "id": person_id.hex,
            "primary_name": "Ахмедова",
            "secondary_name": "Гульнара",
            "patronymic": "",
            **names,
            "nationality": "UZB",
            "birth_year": 1990,
            "birth_month": 2,
            "birth_day": None,
            "sex": "F",
            "created_at": stamp,
            "updated_at": stamp,
        }
        bulk_insert(connection, Person.__table__, [person])  # type: ignore[arg-type]
        document = {
            "id": document_id.hex,
            "person_id": person_id.hex,
            "kind": "work_permit",
            "number": "WP-1",
            "host_state": "KAZ",
            "purpose": StayPurpose.WORK,
            "valid_from": "2026-01-01",
            "valid_until": dt.date(2026, 12, 31),
            "status": "active",
            "nationality": "UZB",
            "created_at": now,
            "updated_at": stamp,
        }
        bulk_insert(connection, StayDocument.__table__, [document])  # type: ignore[arg-type]
    with Session(engine) as session:
        loaded = session.get(StayDocument, document_id)
        assert loaded is not None and loaded.person.id == person_id
        assert loaded.person.primary_name == "Ахмедова" and loaded.person.sex is Sex.FEMALE
        assert loaded.person.birth_day is None and loaded.person.created_at == now
        assert (loaded.kind, loaded.purpose, loaded.status) == (
            StayKind.WORK_PERMIT,
            StayPurpose.WORK,
            StayStatus.ACTIVE,
        )
        assert (loaded.valid_from, loaded.valid_until) == (
            dt.date(2026, 1, 1),
            dt.date(2026, 12, 31),
        )
        assert loaded.created_at == loaded.updated_at == now
        # The stored forms are SQLAlchemy's own: a query with Python values finds the row.
        assert (
            session.scalar(
                select(StayDocument.id).where(
                    StayDocument.person_id == person_id,
                    StayDocument.valid_from == dt.date(2026, 1, 1),
                    StayDocument.created_at == now,
                )
            )
            == document_id
        )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("at", dt.datetime(2026, 1, 1, 12, 0)),  # naive: no time zone to convert from
        ("at", "yesterday"),
        ("day", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),  # a datetime is no date
        ("day", "1 May 2026"),
        ("colour", "blue"),
        ("colour", "RED"),  # a member's name, not its value
        ("body", "not json"),
        ("body", {"when": dt.date(2026, 1, 1)}),
        ("amount", "12,50"),
        ("amount", True),
    ],
)
def test_wrong_values_are_refused(connection: Connection, column: str, value: Any) -> None:
    SAMPLES.create(connection)
    with pytest.raises((TypeError, ValueError)) as raised:
        bulk_insert(connection, SAMPLES, [{"id": uuid7(), column: value}])
    assert "bulk_samples" in "".join(getattr(raised.value, "__notes__", []))
    # Refused before anything was sent: the transaction goes on, on PostgreSQL too.
    assert bulk_insert(connection, SAMPLES, [{"id": uuid7(), column: None}]) == 1


@pytest.mark.parametrize("value", ["not-a-uuid", 42])
def test_an_id_that_is_no_uuid_is_refused(connection: Connection, value: Any) -> None:
    SAMPLES.create(connection)
    with pytest.raises((TypeError, ValueError)):
        bulk_insert(connection, SAMPLES, [{"id": value}])


def test_rows_must_have_the_keys_of_the_first(connection: Connection) -> None:
    SAMPLES.create(connection)
    with pytest.raises(KeyError):
        bulk_insert(connection, SAMPLES, [{"id": uuid7(), "name": "a"}, {"id": uuid7()}])


def test_a_column_type_it_does_not_know_goes_through_its_bind_processor(
    connection: Connection,
) -> None:
    UNKNOWN.create(connection)
    key = uuid7()
    bulk_insert(connection, UNKNOWN, [{"id": key, "code": "kaz"}, {"id": uuid7(), "code": None}])
    assert _read_back(connection, UNKNOWN)[key]["code"] == "KAZ"


def test_a_duplicate_key_raises_sqlalchemys_integrity_error(connection: Connection) -> None:
    SAMPLES.create(connection)
    key = uuid7()
    with pytest.raises(IntegrityError):
        bulk_insert(connection, SAMPLES, [{"id": key}, {"id": key.hex}])


def test_rows_join_the_callers_transaction(engine: Engine) -> None:
    kaz, uzb = uuid7(), uuid7()
    row = {
        "id": kaz,
        "primary_name": "Test",
        "primary_identifier": "TEST",
        "name_key": "test",
        "primary_skeleton": "TST",
        "nationality": "KAZ",
        "birth_year": 1980,
        "sex": Sex.MALE,
        "created_at": dt.datetime.now(dt.UTC),
        "updated_at": dt.datetime.now(dt.UTC),
        "secondary_name": "",
        "patronymic": "",
        "name_script": "Latn",
        "secondary_identifier": "",
        "secondary_skeleton": "",
    }
    table: Table = Person.__table__  # type: ignore[assignment]
    with engine.connect() as connection:
        assert bulk_insert(connection, table, [row]) == 1
        connection.rollback()
        assert bulk_insert(connection, table, [row | {"id": uzb}]) == 1
        connection.commit()
    with Session(engine) as session:
        assert session.get(Person, kaz) is None
        assert session.get(Person, uzb) is not None


def test_no_rows_write_nothing(connection: Connection) -> None:
    assert bulk_insert(connection, SAMPLES, []) == 0


@PROPERTY_SETTINGS
@_with_edge_cases
@given(case=tables_of_rows())
def test_rows_as_tuples_convert_as_rows_as_dicts(engine: Engine, case: Any) -> None:
    """``values_of_tuples`` (the importer's staged rows) converts as ``values`` does."""
    _columns, _expected, given_rows = case
    plan = bulk_plan(SAMPLES, tuple(given_rows[0]), engine.dialect.name)
    tuples = [tuple(row[name] for name in plan.names) for row in given_rows]
    assert plan.values_of_tuples(tuples) == list(plan.values(given_rows))
    assert plan.values_of_tuples([]) == []
