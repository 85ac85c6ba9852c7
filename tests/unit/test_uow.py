"""kervan/uow.py: one transaction per unit of work, committed once or rolled back; a failure's
pending audit entries are written in a transaction of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from kervan import uow


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(f"sqlite:///{tmp_path / 'uow.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (v INTEGER)"))
    yield sessionmaker(engine)
    engine.dispose()


def _values(factory: Any) -> list[int]:
    with factory() as session:
        return [v for (v,) in session.execute(text("SELECT v FROM t ORDER BY v"))]


def test_a_unit_of_work_commits_once_at_its_end(factory: Any) -> None:
    with uow.unit_of_work(factory) as session:
        session.execute(text("INSERT INTO t VALUES (1)"))
    assert _values(factory) == [1]


def test_a_failure_rolls_back_and_writes_the_pending_audit_entries(
    factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[tuple[Any, str, dict[str, Any]]] = []
    monkeypatch.setattr(
        uow.audit, "take_pending", lambda session: [("officer", "registry.denied", {"x": 1})]
    )

    def record(session: Session, who: Any, action: str, **fields: Any) -> None:
        written.append((who, action, fields))

    monkeypatch.setattr(uow.audit, "record", record)
    with pytest.raises(RuntimeError), uow.unit_of_work(factory) as session:
        session.execute(text("INSERT INTO t VALUES (2)"))
        raise RuntimeError("refused")
    assert _values(factory) == []
    assert written == [("officer", "registry.denied", {"x": 1})]


def test_commit_now_makes_the_work_durable_before_the_boundary(factory: Any) -> None:
    with pytest.raises(RuntimeError), uow.unit_of_work(factory) as session:
        session.execute(text("INSERT INTO t VALUES (3)"))
        uow.commit_now(session)
        raise RuntimeError("after the receipt left")
    assert _values(factory) == [3]
