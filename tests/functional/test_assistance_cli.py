"""``kervan cases`` as an operator runs it: a process on the node's database."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine

from kervan.accounts.roles import system_principal
from kervan.assistance.schemas import CaseCreate
from kervan.assistance.service import create_case
from kervan.assistance.sla import DEFAULT_SLA
from kervan.db.base import utcnow
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory
from tests.functional.assistance_support import case_body


def _kervan(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KERVAN_DATABASE_URL": url, "KERVAN_STATE": "KAZ"}
    return subprocess.run(
        [sys.executable, "-m", "kervan.entry", *args], env=env, capture_output=True, text=True
    )


def test_queue_show_sla_and_counts(database_url: str) -> None:
    migrated_sqlite = database_url
    engine = create_engine(migrated_sqlite)
    with unit_of_work(node_session_factory(engine)) as session:
        case, _ = create_case(
            session,
            system_principal("KAZ", "test"),
            CaseCreate.model_validate(case_body()),
            node_state="KAZ",
            sla=DEFAULT_SLA,
            now=utcnow(),
        )
        reference = case.reference
    engine.dispose()
    queue = _kervan(migrated_sqlite, "cases", "queue")
    assert queue.returncode == 0 and reference in queue.stdout, queue.stderr
    shown = _kervan(migrated_sqlite, "cases", "show", reference.lower().replace("-", ""))
    assert shown.returncode == 0 and "nationality: UZB" in shown.stdout, shown.stderr
    assert "open: 1" in _kervan(migrated_sqlite, "cases", "sla").stdout
    counts = _kervan(migrated_sqlite, "cases", "counts", "2000-01-01", "2100-01-01")
    assert "shelter\ttriaged\t1" in counts.stdout
    unknown = _kervan(migrated_sqlite, "cases", "show", "C-ZZZZ-ZZZZ")
    assert unknown.returncode == 1 and unknown.stderr.startswith("kervan: error:")
    backwards = _kervan(migrated_sqlite, "cases", "counts", "2030-01-02", "2030-01-01")
    assert backwards.returncode != 0 and "ends before" in backwards.stderr
