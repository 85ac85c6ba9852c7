"""kervan/ops/readiness.py: a node is ready only when its database answers at the head
revision, it has its signing key, and the trust list in force lists this node and that key;
each check says what it found, and checks that cannot run without the database are left out."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_engine
from kervan.demo.trust_setup import make_federation
from kervan.exchange import keys, trust_store
from kervan.ops.readiness import Check, as_json, readiness
from tests.unit.exchange.support import ENDPOINTS


def _names(checks: list[Check]) -> dict[str, bool]:
    return {c.name: c.ok for c in checks}


def test_a_database_that_does_not_answer_leaves_out_what_needs_it(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'k.db'}")
    ready, checks = readiness(Settings(keys_dir=tmp_path / "keys"), engine)
    assert not ready and _names(checks) == {"database": False, "keys": False}
    assert as_json(ready, checks)["status"] == "not ready"


def test_an_unmigrated_database_is_not_ready(empty_database_url: str, tmp_path: Path) -> None:
    engine = make_engine(empty_database_url)
    _, checks = readiness(Settings(keys_dir=tmp_path), engine)
    assert _names(checks)["database"] and not _names(checks)["migrations"]
    engine.dispose()


def test_a_node_without_a_trust_list_says_what_to_run(engine: Engine, tmp_path: Path) -> None:
    keys.generate(tmp_path, "KAZ")
    ready, checks = readiness(Settings(state="KAZ", keys_dir=tmp_path), engine)
    found = {c.name: c for c in checks}
    assert not ready and found["keys"].ok and found["migrations"].ok
    assert "kervan trust install" in found["trust_list"].detail


def test_a_node_whose_key_is_listed_is_ready(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    document, _ = make_federation(tmp_path, ENDPOINTS)
    trust_store.install(session, document, utcnow(), bootstrap=True)
    session.commit()
    ready, checks = readiness(Settings(state="KAZ", keys_dir=tmp_path / "KAZ"), engine)
    assert ready, as_json(ready, checks)
    body = as_json(ready, checks)
    assert body["status"] == "ready" and body["checks"]["trust_list"]["facts"]["version"] == 1


def test_a_key_the_list_does_not_name_is_not_ready(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    document, _ = make_federation(tmp_path / "federation", ENDPOINTS)
    trust_store.install(session, document, utcnow(), bootstrap=True)
    session.commit()
    keys.generate(tmp_path / "mine", "KAZ")  # a key never sent to the secretariat
    ready, checks = readiness(Settings(state="KAZ", keys_dir=tmp_path / "mine"), engine)
    trust = next(c for c in checks if c.name == "trust_list")
    assert not ready and "does not list key" in trust.detail
