"""kervan/ops/backup.py: the refusals that keep a backup or a restore from touching what it must
not — an existing file, a missing folder, a node's data, a backup of the other database's kind
— and the password kept out of the command line. (The full drill on both databases:
tests/integration/test_backup_restore.py.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kervan.errors import Conflict, InvalidInput
from kervan.ops.backup import _libpq, back_up, restore


def _database(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
        connection.execute("INSERT INTO t VALUES (42)")
    return f"sqlite:///{path}"


def test_a_sqlite_backup_restores_into_a_new_file(tmp_path: Path) -> None:
    url = _database(tmp_path / "node.db")
    size = back_up(url, tmp_path / "node.backup")
    assert size == (tmp_path / "node.backup").stat().st_size > 0
    assert not (tmp_path / "node.backup.part").exists()
    restore(tmp_path / "node.backup", f"sqlite:///{tmp_path / 'restored.db'}")
    with sqlite3.connect(tmp_path / "restored.db") as connection:
        assert connection.execute("SELECT x FROM t").fetchall() == [(42,)]


def test_a_backup_never_overwrites_and_needs_its_folder(tmp_path: Path) -> None:
    url = _database(tmp_path / "node.db")
    (tmp_path / "taken").write_text("someone's file")
    with pytest.raises(Conflict):
        back_up(url, tmp_path / "taken")
    assert (tmp_path / "taken").read_text() == "someone's file"
    with pytest.raises(InvalidInput, match="does not exist"):
        back_up(url, tmp_path / "no" / "folder.backup")
    with pytest.raises(InvalidInput, match="kervan db upgrade"):
        back_up(f"sqlite:///{tmp_path / 'missing.db'}", tmp_path / "x.backup")


def test_a_restore_refuses_a_node_s_data_and_the_wrong_kind_of_backup(tmp_path: Path) -> None:
    url = _database(tmp_path / "node.db")
    back_up(url, tmp_path / "node.backup")
    with pytest.raises(Conflict, match="exists already"):
        restore(tmp_path / "node.backup", url)
    (tmp_path / "dump.pg").write_bytes(b"PGDMP\x01\x0e")
    with pytest.raises(InvalidInput, match="not a SQLite backup"):
        restore(tmp_path / "dump.pg", f"sqlite:///{tmp_path / 'new.db'}")
    with pytest.raises(InvalidInput, match="not a pg_dump backup"):
        restore(tmp_path / "node.backup", "postgresql+psycopg://u@127.0.0.1:1/kervan")
    with pytest.raises(InvalidInput, match="not a file"):
        restore(tmp_path / "nothing", f"sqlite:///{tmp_path / 'new.db'}")
    assert not (tmp_path / "new.db").exists()


def test_the_password_goes_in_the_environment_not_the_command_line() -> None:
    uri, env = _libpq("postgresql+psycopg://kervan:s3cret@db.example:5433/node")
    assert "s3cret" not in uri and env["PGPASSWORD"] == "s3cret"
    assert uri == "postgresql://kervan@db.example:5433/node"
