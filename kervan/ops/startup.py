"""What a node checks before it serves or delivers: the database exists, is at the head
revision of the migrations, and belongs to this node's state. Each problem is one line that
says what to do."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kervan.db.engine import make_engine, normalise_url
from kervan.errors import Conflict, KervanError
from kervan.ops.models import NodeIdentity


class NodeNotReady(KervanError):
    status = 503
    type_slug = "not-ready"
    title = "The node is not ready"


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL and in-memory databases)."""
    parsed = make_url(normalise_url(url))
    database = parsed.database
    if not parsed.drivername.startswith("sqlite") or database in (None, "", ":memory:"):
        return None
    return Path(str(database))


def missing_database(url: str) -> str | None:
    """Why the database of ``url`` cannot be opened, in one line (None if it can)."""
    parsed = make_url(normalise_url(url))
    path = sqlite_path(url)
    if path is not None:
        if path.exists():
            return None
        return (
            f"the SQLite database {path} does not exist; create it with `kervan db upgrade` "
            "(check KERVAN_DATABASE_URL if it should exist)"
        )
    if not parsed.drivername.startswith("postgresql"):
        return None
    engine = make_engine(url)
    try:
        with engine.connect():
            return None
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else "cannot connect"
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
        if "does not exist" in reason:
            return (
                f"PostgreSQL on {where}: {reason}; create it (as a superuser: "
                f"createuser {parsed.username or 'kervan'} && createdb -O "
                f"{parsed.username or 'kervan'} {parsed.database}), then `kervan db upgrade`"
            )
        return f"cannot connect to PostgreSQL on {where}: {reason}"
    finally:
        engine.dispose()


def migration_heads() -> set[str]:
    from alembic.script import ScriptDirectory

    from kervan.db.migrate import alembic_config

    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def schema_problem(engine: Engine) -> str | None:
    """Why the schema is not the one this code expects (None when it is at the head)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    heads = migration_heads()
    if current == heads:
        return None
    if not current:
        return "the database has no tables yet; run `kervan db upgrade`"
    return (
        f"the database is at revision {', '.join(sorted(current))}, this release needs "
        f"{', '.join(sorted(heads))}; run `kervan db upgrade`"
    )


def claimed_state(session: Session) -> str | None:
    return session.scalar(select(NodeIdentity.state).where(NodeIdentity.id == 1))


def claim_for_state(session: Session, state: str) -> None:
    """Record that the database is ``state``'s, or refuse if it is another state's."""
    owner = claimed_state(session)
    if owner is None:
        session.add(NodeIdentity(id=1, state=state))
        session.flush()
    elif owner != state:
        raise Conflict(
            f"this database belongs to {owner}'s node, not {state}'s; point "
            "KERVAN_DATABASE_URL (or --database) at a database of its own"
        )


def require_ready_database(url: str, state: str) -> None:
    """Raise NodeNotReady (or Conflict) with one line unless the node may start on ``url``."""
    from kervan.db.engine import make_sessionmaker
    from kervan.uow import unit_of_work

    if (missing := missing_database(url)) is not None:
        raise NodeNotReady(missing)
    engine = make_engine(url)
    try:
        if (problem := schema_problem(engine)) is not None:
            raise NodeNotReady(problem)
        with unit_of_work(make_sessionmaker(engine)) as session:
            claim_for_state(session, state)
    finally:
        engine.dispose()
