"""Alembic environment: uses a connection handed in by ``kervan.db.migrate`` when there is one."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from kervan.db.engine import make_engine
from kervan.db.metadata import metadata

config = context.config


def _include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    # Indexes named pgx_* exist on PostgreSQL only (pg_trgm) and are made by hand in migrations;
    # tables named sqlx_* (FTS5 virtual tables and their shadow tables) exist on SQLite only.
    if type_ == "index" and (name or "").startswith("pgx_"):
        return False
    return not (type_ == "table" and (name or "").startswith("sqlx_"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by table copy
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Never wait forever behind a lock held by a running node.
            context.execute("SET LOCAL lock_timeout = '10s'")
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        _run(connection)
        connection.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `kervan db upgrade`")
run_migrations_online()
