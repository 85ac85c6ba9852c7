"""Two real nodes for the fault tests and the benchmark: databases, keys, a trust list, a
receiver as its own OS process, and a sender's outbox filled with many messages.

Not used by a running node; it lives in the package so that ``tests/`` and ``bench/`` share it.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from kervan.config import Settings
from kervan.db.base import utcnow
from kervan.db.bulk import bulk_insert
from kervan.db.engine import make_engine, normalise_url
from kervan.db.ids import uuid7_at
from kervan.db.migrate import upgrade
from kervan.demo.trust_setup import make_federation
from kervan.exchange.keys import SigningKey
from kervan.exchange.models import OutboxMessage
from kervan.exchange.outbox import OutboxStatus
from kervan.exchange.trust_store import install
from kervan.registry.models import StayDocument
from kervan.registry.synthetic import generate, load
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fresh_database(server_url: str, name: str) -> str:
    """A new migrated database named ``name`` plus a unique suffix — a PostgreSQL one on the
    server of ``server_url``, or a SQLite file in the folder it names. Nothing that exists is
    ever dropped or replaced: the caller drops what it got (``drop_database``)."""
    unique = f"{name}_{secrets.token_hex(4)}"
    if server_url.startswith("sqlite"):
        path = Path(server_url.removeprefix("sqlite:///")) / f"{unique}.db"
        url = f"sqlite:///{path}"
    else:
        admin_url = make_url(normalise_url(server_url)).set(database="postgres")
        admin = make_engine(admin_url.render_as_string(False), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{unique}"'))
        admin.dispose()
        url = admin_url.set(database=unique).render_as_string(False)
    upgrade(url)
    return url


def drop_database(url: str) -> None:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    parsed = make_url(normalise_url(url))
    admin = make_engine(
        parsed.set(database="postgres").render_as_string(False), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


@dataclass
class Pair:
    """Sender KAZ and receiver UZB (plus the secretariat on the trust list, never started)."""

    folder: Path
    sender: Settings
    receiver: Settings
    receiver_port: int
    signers: dict[str, SigningKey]
    trust: dict[str, Any]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def receiver_url(self) -> str:
        return f"http://127.0.0.1:{self.receiver_port}"

    def start_receiver(self, extra_env: dict[str, str] | None = None, workers: int = 1) -> None:
        env = {
            **os.environ,
            "KERVAN_STATE": "UZB",
            "KERVAN_DATABASE_URL": self.receiver.database_url,
            "KERVAN_KEYS_DIR": str(self.receiver.keys_dir),
            "KERVAN_ENVIRONMENT": "test",
            "KERVAN_SECRET_KEY": secrets.token_urlsafe(32),  # outside development, a real one
            **(extra_env or {}),
        }
        log = (self.folder / "receiver.log").open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kervan.demo.serve_node",
                "--port",
                str(self.receiver_port),
                "--workers",
                str(workers),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.wait_ready()

    def wait_ready(self, seconds: float = 300.0) -> None:  # a shared machine starts slowly
        deadline = time.monotonic() + seconds
        # One client for all the polls: ``httpx.get`` builds a TLS context (the CA bundle read
        # and parsed) on every call, which took a core from the very node it waits for.
        with httpx.Client(timeout=1.0) as client:
            while time.monotonic() < deadline:
                try:
                    if client.get(f"{self.receiver_url}/healthz").status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
        raise RuntimeError(f"the receiver did not start; see {self.folder / 'receiver.log'}")

    def kill_receiver(self) -> None:
        """SIGKILL: no graceful shutdown, a batch may be half applied (and rolled back)."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


def make_pair(folder: Path, server_url: str, tag: str) -> Pair:
    port = free_port()
    endpoints = {
        "OTS": "http://127.0.0.1:9",
        "KAZ": "http://127.0.0.1:9",
        "UZB": f"http://127.0.0.1:{port}",
    }
    document, signers = make_federation(folder / "keys", endpoints, threshold=1)
    nodes = {}
    for state in ("KAZ", "UZB"):
        url = fresh_database(server_url, f"kervan_{tag}_{state.lower()}")
        nodes[state] = Settings(state=state, database_url=url, keys_dir=folder / "keys" / state)
        engine = make_engine(url)
        with unit_of_work(node_session_factory(engine)) as session:
            install(session, document, utcnow(), bootstrap=True)
        engine.dispose()
    return Pair(folder, nodes["KAZ"], nodes["UZB"], port, signers, document)


def seed_register(
    settings: Settings, documents: int, seed: int = 7
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Generated register rows in the sender; returns (document, person) of UZB nationals."""
    engine = make_engine(settings.database_url)
    load(engine, generate(documents, seed=seed, host_state=settings.state, today=dt.date.today()))
    with engine.connect() as connection:
        rows = connection.execute(
            select(StayDocument.id, StayDocument.person_id).where(StayDocument.nationality == "UZB")
        ).all()
    engine.dispose()
    return [(d, p) for d, p in rows]


def fill_outbox(
    settings: Settings,
    targets: list[tuple[uuid.UUID, uuid.UUID]],
    count: int,
    created_at: dt.datetime | None = None,
    skew: dict[int, dt.timedelta] | None = None,
) -> list[uuid.UUID]:
    """``count`` stay.extended messages cycling over ``targets`` (so several per subject), in
    increasing id order; ``skew`` shifts the created_at of given message numbers (a sender's
    clock ahead or behind)."""
    now = created_at or utcnow()
    base_ms = int(now.timestamp() * 1000)
    rows, ids = [], []
    for number in range(count):
        document_id, person_id = targets[number % len(targets)]
        message_id = uuid7_at(
            base_ms + number // 4000, number % 4000, int.from_bytes(os.urandom(8))
        )
        ids.append(message_id)
        rows.append(
            {
                "id": message_id,
                "type": "stay.extended",
                "to_state": "UZB",
                "subject_type": "person",
                "subject_id": person_id,
                "body": {
                    "documents": [{"document_id": str(document_id)}],
                    "event_kind": "extended",
                },
                "created_at": now + (skew or {}).get(number, dt.timedelta()),
                "status": OutboxStatus.PENDING.value,
                "attempts": 0,
            }
        )
    engine = make_engine(settings.database_url)
    with engine.begin() as connection:
        for start in range(0, len(rows), 5000):
            bulk_insert(connection, OutboxMessage.__table__, rows[start : start + 5000])  # type: ignore[arg-type]
    engine.dispose()
    return ids
