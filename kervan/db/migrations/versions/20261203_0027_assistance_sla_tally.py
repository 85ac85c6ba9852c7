"""assistance: the SLA tally (open cases by nationality, urgency and hour of due and warning
time) kept by triggers, and the open-case indexes of the urgency filter and the warning time

The SLA counts add up the tally's rows and count only the current hour's cases, instead of
counting every open case. Triggers keep the tally on every write path (the service, envelopes
applied, bulk fills), in the writing transaction: on PostgreSQL one statement-level trigger per
INSERT, UPDATE and DELETE reading the statement's rows from its transition tables (set-based,
keys taken in order), on SQLite row triggers. A row that falls to zero is deleted. No
application code is imported.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "('new', 'triaged', 'in_progress', 'referred')"
OPEN_WHERE = f"status IN {OPEN}"
KEY = "nationality, urgency, hour"
TALLY = "assistance_sla_tally"
UPSERT = (
    f"INSERT INTO {TALLY} ({KEY}, due, warn) {{select}} ON CONFLICT ({KEY}) DO UPDATE "
    f"SET due = {TALLY}.due + excluded.due, warn = {TALLY}.warn + excluded.warn"
)

# PostgreSQL: the hour (UTC) a time falls in; a transition table's contributions to the tally.
_PG_HOUR = "date_trunc('hour', {column} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'"


def _pg_rows(table: str, sign: int) -> str:
    due, warn = _PG_HOUR.format(column="due_at"), _PG_HOUR.format(column="warn_at")
    return (
        f"SELECT nationality, urgency, {due} AS hour, {sign} AS due, 0 AS warn "
        f"FROM {table} WHERE {OPEN_WHERE} "
        f"UNION ALL SELECT nationality, urgency, {warn}, 0, {sign} FROM {table} WHERE {OPEN_WHERE}"
    )


def _pg_apply(parts: list[str]) -> str:
    rows = " UNION ALL ".join(parts)
    return UPSERT.format(
        select=f"SELECT {KEY}, sum(due), sum(warn) FROM ({rows}) AS d GROUP BY {KEY} "
        f"HAVING sum(due) <> 0 OR sum(warn) <> 0 ORDER BY {KEY}"
    )


def _pg_function(name: str, parts: list[str], old: bool) -> str:
    drop_zero = (
        f"DELETE FROM assistance_sla_tally t WHERE t.due = 0 AND t.warn = 0 "
        f"AND ({KEY}) IN (SELECT {KEY} FROM ({_pg_rows('old_cases', -1)}) AS k);"
        if old
        else ""
    )
    return f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            {_pg_apply(parts)};
            {drop_zero}
            RETURN NULL;
        END $$"""


_PG_UP = [
    _pg_function("kervan_sla_tally_insert", [_pg_rows("new_cases", 1)], old=False),
    _pg_function(
        "kervan_sla_tally_update", [_pg_rows("old_cases", -1), _pg_rows("new_cases", 1)], old=True
    ),
    _pg_function("kervan_sla_tally_delete", [_pg_rows("old_cases", -1)], old=True),
    """CREATE TRIGGER pgx_assistance_sla_tally_insert AFTER INSERT ON assistance_cases
        REFERENCING NEW TABLE AS new_cases
        FOR EACH STATEMENT EXECUTE FUNCTION kervan_sla_tally_insert()""",
    """CREATE TRIGGER pgx_assistance_sla_tally_update AFTER UPDATE ON assistance_cases
        REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases
        FOR EACH STATEMENT EXECUTE FUNCTION kervan_sla_tally_update()""",
    """CREATE TRIGGER pgx_assistance_sla_tally_delete AFTER DELETE ON assistance_cases
        REFERENCING OLD TABLE AS old_cases
        FOR EACH STATEMENT EXECUTE FUNCTION kervan_sla_tally_delete()""",
    _pg_apply([_pg_rows("assistance_cases", 1)]),
]
_PG_DOWN = [
    "DROP TRIGGER IF EXISTS pgx_assistance_sla_tally_delete ON assistance_cases",
    "DROP TRIGGER IF EXISTS pgx_assistance_sla_tally_update ON assistance_cases",
    "DROP TRIGGER IF EXISTS pgx_assistance_sla_tally_insert ON assistance_cases",
    "DROP FUNCTION IF EXISTS kervan_sla_tally_delete()",
    "DROP FUNCTION IF EXISTS kervan_sla_tally_update()",
    "DROP FUNCTION IF EXISTS kervan_sla_tally_insert()",
]

# SQLite stores times as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC): the hour is its first 13 letters.
_SQLITE_HOUR = "substr({row}.{column}, 1, 13) || ':00:00.000000'"


def _sqlite_add(row: str, sign: int) -> list[str]:
    found = []
    for column, due, warn in (("due_at", sign, 0), ("warn_at", 0, sign)):
        hour = _SQLITE_HOUR.format(row=row, column=column)
        select = (
            f"SELECT {row}.nationality, {row}.urgency, {hour}, {due}, {warn} "
            f"WHERE {row}.status IN {OPEN}"
        )
        found.append(UPSERT.format(select=select) + ";")
    return found


_SQLITE_DROP_ZERO = (
    "DELETE FROM assistance_sla_tally WHERE due = 0 AND warn = 0 "
    "AND nationality = old.nationality AND urgency = old.urgency "
    f"AND hour IN ({_SQLITE_HOUR.format(row='old', column='due_at')}, "
    f"{_SQLITE_HOUR.format(row='old', column='warn_at')});"
)


def _sqlite_trigger(name: str, event: str, statements: list[str]) -> str:
    body = "\n        ".join(statements)
    return f"""CREATE TRIGGER {name} AFTER {event} ON assistance_cases BEGIN
        {body}
    END"""


_SQLITE_UP = [
    _sqlite_trigger("sqlx_assistance_sla_tally_insert", "INSERT", _sqlite_add("new", 1)),
    _sqlite_trigger(
        "sqlx_assistance_sla_tally_update",
        "UPDATE OF status, due_at, warn_at, urgency, nationality",
        [*_sqlite_add("old", -1), *_sqlite_add("new", 1), _SQLITE_DROP_ZERO],
    ),
    _sqlite_trigger(
        "sqlx_assistance_sla_tally_delete", "DELETE", [*_sqlite_add("old", -1), _SQLITE_DROP_ZERO]
    ),
    UPSERT.format(
        select=(
            f"SELECT {KEY}, sum(due), sum(warn) FROM ("
            f"SELECT nationality, urgency, {_SQLITE_HOUR.format(row='c', column='due_at')} AS hour,"
            f" 1 AS due, 0 AS warn FROM assistance_cases AS c WHERE c.{OPEN_WHERE} UNION ALL "
            f"SELECT nationality, urgency, {_SQLITE_HOUR.format(row='c', column='warn_at')}, 0, 1 "
            f"FROM assistance_cases AS c WHERE c.{OPEN_WHERE}) AS d GROUP BY {KEY}"
        )
    ),
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS sqlx_assistance_sla_tally_delete",
    "DROP TRIGGER IF EXISTS sqlx_assistance_sla_tally_update",
    "DROP TRIGGER IF EXISTS sqlx_assistance_sla_tally_insert",
]


def upgrade() -> None:
    op.create_table(
        "assistance_sla_tally",
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column(
            "urgency",
            sa.Enum(
                "critical", "high", "normal", "low", name="urgency", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due", sa.Integer(), nullable=False),
        sa.Column("warn", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "nationality", "urgency", "hour", name=op.f("pk_assistance_sla_tally")
        ),
    )
    with op.batch_alter_table("assistance_cases") as batch_op:
        batch_op.create_index(
            "ix_assistance_cases_open_urgency_due_at",
            ["urgency", "due_at", "id"],
            unique=False,
            postgresql_where=sa.text(OPEN_WHERE),
            sqlite_where=sa.text(OPEN_WHERE),
        )
        batch_op.create_index(
            "ix_assistance_cases_open_warn_at",
            ["warn_at"],
            unique=False,
            postgresql_where=sa.text(OPEN_WHERE),
            sqlite_where=sa.text(OPEN_WHERE),
        )
    dialect = op.get_bind().dialect.name
    for statement in _PG_UP if dialect == "postgresql" else _SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _PG_DOWN if dialect == "postgresql" else _SQLITE_DOWN:
        op.execute(statement)
    with op.batch_alter_table("assistance_cases") as batch_op:
        batch_op.drop_index("ix_assistance_cases_open_warn_at")
        batch_op.drop_index("ix_assistance_cases_open_urgency_due_at")
    op.drop_table("assistance_sla_tally")
