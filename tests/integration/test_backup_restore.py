"""The restore drill of docs/operate.md: a node with a register, an audit log and signed
exchange evidence is backed up with ``kervan backup``, restored with ``kervan restore`` into a
fresh database, and ``kervan audit verify`` and ``kervan exchange verify`` pass on the copy."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from kervan.accounts.roles import Role, system_principal
from kervan.accounts.service import create_user
from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.engine import make_engine, make_sessionmaker
from kervan.demo.trust_setup import make_federation
from kervan.exchange.inbox import receive_batch
from kervan.exchange.trust_store import install
from kervan.ops.startup import migration_heads
from kervan.registry.models import StayDocument
from kervan.registry.synthetic import generate, load
from kervan.uow import unit_of_work
from tests.unit.exchange.support import envelope, stay_body

ENDPOINTS = {"OTS": "http://127.0.0.1:9", "KAZ": "http://127.0.0.1:9", "UZB": "http://127.0.0.1:9"}


def kervan(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERVAN_")}
    env.update(KERVAN_DATABASE_URL=url, KERVAN_STATE="KAZ")
    return subprocess.run(
        [sys.executable, "-m", "kervan", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def fill_node(url: str, keys: Path) -> str:
    """Register rows, audited account changes and one received envelope with its receipt;
    returns the envelope's id."""
    engine = make_engine(url)
    load(engine, generate(40, seed=3, host_state="KAZ", today=dt.date(2026, 12, 1)))
    document, signers = make_federation(keys, ENDPOINTS, threshold=1)
    compact = envelope(signers["UZB"], to="KAZ", body=stay_body(nationality="KAZ", host="UZB"))
    with unit_of_work(make_sessionmaker(engine)) as session:
        install(session, document, utcnow(), bootstrap=True)
        create_user(
            session,
            system_principal("KAZ", "drill"),
            username="aigerim",
            password="correct horse battery staple",
            role=Role.MIGRATION_OFFICER,
            state="KAZ",
        )
        settings = Settings(state="KAZ", database_url=url)
        (outcome,) = receive_batch(session, settings, signers["KAZ"], [compact])
    engine.dispose()
    assert outcome.status == "accepted"
    envelope_id: str = json.loads(base64.urlsafe_b64decode(compact.split(".")[1] + "=="))["id"]
    return envelope_id


def test_restore_drill(database_url: str, empty_database_url: str, tmp_path: Path) -> None:
    envelope_id = fill_node(database_url, tmp_path / "keys")
    dump = tmp_path / "node.dump"
    made = kervan(database_url, "backup", str(dump))
    assert made.returncode == 0, made.stderr
    restored = kervan(empty_database_url, "restore", str(dump))
    assert restored.returncode == 0, restored.stderr
    audit = kervan(empty_database_url, "audit", "verify")
    assert audit.returncode == 0 and audit.stdout.startswith("audit chain intact"), audit
    proof = kervan(empty_database_url, "exchange", "verify", envelope_id)
    assert proof.returncode == 0 and proof.stdout.rstrip().endswith("proven"), proof
    engine = make_engine(empty_database_url)
    with engine.connect() as connection:
        documents = connection.scalar(select(func.count()).select_from(StayDocument))
    engine.dispose()
    assert documents == 40
    assert kervan(empty_database_url, "db", "current").stdout.split() == sorted(migration_heads())
