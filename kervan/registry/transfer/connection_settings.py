"""SQLite settings for the length of an import, on the import's connection only.

SQLite keeps 2 MB of pages in memory by default: enough for a form, not for an import, whose
inserts land all over the register's indexes. Past a few hundred thousand rows each insert then
reads its index pages back from the operating system. A larger page cache (in this process's
memory, counted in its RSS) keeps that work in memory; it is put back when the import ends.
PostgreSQL's server-side buffers need nothing of the kind."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

#: The page cache during an import, in KiB (SQLite's negative ``cache_size``): bounded, so that
#: the importing process stays well inside its memory budget at any register size.
IMPORT_CACHE_KIB = 128 * 1024


@contextmanager
def import_settings(connection: Connection) -> Iterator[None]:
    """Apply the import's settings on ``connection`` and restore them after."""
    if connection.dialect.name != "sqlite":
        yield
        return
    cache_size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(cache_size or -2000)}")
