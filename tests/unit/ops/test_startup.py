"""kervan/ops/startup.py: a node starts only on a database that exists, is at the head
revision and is its own state's — otherwise one line that says what to run; the first start
claims the database for its state."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from kervan.errors import Conflict
from kervan.ops.startup import (
    NodeNotReady,
    claim_for_state,
    claimed_state,
    missing_database,
    require_ready_database,
    sqlite_path,
)


def test_the_file_of_a_sqlite_url() -> None:
    assert sqlite_path("sqlite:////var/lib/kervan/node.db") == Path("/var/lib/kervan/node.db")
    assert sqlite_path("sqlite://") is None and sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("postgresql+psycopg://u@db/kervan") is None


def test_a_sqlite_file_that_does_not_exist_says_how_to_make_it(tmp_path: Path) -> None:
    problem = missing_database(f"sqlite:///{tmp_path / 'node.db'}")
    assert problem is not None and "kervan db upgrade" in problem and "\n" not in problem
    with pytest.raises(NodeNotReady) as caught:
        require_ready_database(f"sqlite:///{tmp_path / 'node.db'}", "KAZ")
    assert caught.value.status == 503


def test_a_postgresql_server_that_does_not_answer_is_named() -> None:
    # Port 1 on this machine: nothing listens there.
    problem = missing_database("postgresql+psycopg://kervan@127.0.0.1:1/kervan?connect_timeout=2")
    assert problem is not None and problem.startswith("cannot connect to PostgreSQL on 127.0.0.1:1")


def test_an_empty_database_must_be_upgraded_first(empty_database_url: str) -> None:
    if empty_database_url.startswith("sqlite"):
        Path(empty_database_url.removeprefix("sqlite:///")).touch()
    assert missing_database(empty_database_url) is None
    with pytest.raises(NodeNotReady, match="no tables yet; run `kervan db upgrade`"):
        require_ready_database(empty_database_url, "KAZ")


def test_the_first_start_claims_the_database_for_its_state(database_url: str) -> None:
    require_ready_database(database_url, "KAZ")
    require_ready_database(database_url, "KAZ")  # its own again: fine
    with pytest.raises(Conflict, match="belongs to KAZ's node, not UZB's"):
        require_ready_database(database_url, "UZB")


def test_a_claim_is_recorded_once(session: Session) -> None:
    assert claimed_state(session) is None
    claim_for_state(session, "TUR")
    claim_for_state(session, "TUR")
    assert claimed_state(session) == "TUR"
    with pytest.raises(Conflict):
        claim_for_state(session, "KAZ")
