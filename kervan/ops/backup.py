"""Backups of a node's database, taken while the node runs, and their restore into an empty
database. SQLite: the online backup API (a consistent copy whatever writes meanwhile).
PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` (same major version as the server)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from kervan.db.engine import make_engine, normalise_url
from kervan.errors import Conflict, InvalidInput
from kervan.ops.startup import missing_database, sqlite_path

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
#: Pages copied per step of SQLite's online backup: writers get the lock between steps.
SQLITE_PAGES_PER_STEP = 1024


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and the environment that carries it (so
    it never shows in the process list)."""
    parsed: URL = make_url(normalise_url(url))
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    # ``URL.set`` takes None as "leave as is": only ``_replace`` removes the password.
    plain = parsed._replace(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise InvalidInput(f"{command[0]} is not installed (PostgreSQL's client tools)")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise InvalidInput(f"{command[0]}: {last}")


def back_up(url: str, target: Path) -> int:
    """Write a backup of the database of ``url`` to ``target`` (which must not exist).
    Returns its size in bytes."""
    if target.exists():
        raise Conflict(f"{target} exists already; a backup never overwrites a file")
    if not target.parent.is_dir():
        raise InvalidInput(f"the folder {target.parent} does not exist; create it first")
    if (missing := missing_database(url)) is not None:
        raise InvalidInput(missing)
    partial = target.with_name(target.name + ".part")
    path = sqlite_path(url)
    if path is not None:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=SQLITE_PAGES_PER_STEP)
        finally:
            copy.close()
            source.close()
    else:
        uri, env = _libpq(url)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", uri], env)
    partial.rename(target)
    return target.stat().st_size


def _require_empty(url: str) -> None:
    engine = make_engine(url)
    try:
        tables = inspect(engine).get_table_names()
    finally:
        engine.dispose()
    if tables:
        raise Conflict(
            "the target database is not empty; restore into a new database (never over a "
            "node's data) and point KERVAN_DATABASE_URL at it"
        )


def restore(source: Path, url: str) -> None:
    """Restore the backup ``source`` into the empty (or, for SQLite, not yet existing)
    database of ``url``."""
    if not source.is_file():
        raise InvalidInput(f"{source} is not a file")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    path = sqlite_path(url)
    if path is not None:
        if not head.startswith(SQLITE_MAGIC):
            raise InvalidInput(f"{source} is not a SQLite backup (the node's database is SQLite)")
        if path.exists() and path.stat().st_size > 0:
            raise Conflict(f"{path} exists already; restore into a new file")
        if not path.parent.is_dir():
            raise InvalidInput(f"the folder {path.parent} does not exist; create it first")
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(path)
        try:
            backup.backup(target)
        finally:
            target.close()
            backup.close()
        return
    if not head.startswith(PG_DUMP_MAGIC):
        raise InvalidInput(f"{source} is not a pg_dump backup (the node's database is PostgreSQL)")
    if (missing := missing_database(url)) is not None:
        raise InvalidInput(missing)
    _require_empty(url)
    uri, env = _libpq(url)
    # --no-comments: COMMENT ON EXTENSION needs its owner (the superuser), not the node.
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-comments",
            "--exit-on-error",
            f"--dbname={uri}",
            str(source),
        ],
        env,
    )
