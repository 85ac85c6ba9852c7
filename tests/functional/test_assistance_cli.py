"""``kervan cases`` as an operator runs it, on the node's database: the command's output, one-line
errors and exit codes (through ``kervan``'s entry point in the test's process: cli_support)."""

from __future__ import annotations

import subprocess

from sqlalchemy import create_engine

from kervan.accounts.roles import system_principal
from kervan.assistance.schemas import CaseCreate
from kervan.assistance.service import create_case
from kervan.assistance.sla import DEFAULT_SLA
from kervan.db.base import utcnow
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory
from tests.functional.assistance_support import case_body
from tests.functional.cli_support import kervan_here


def _kervan(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return kervan_here(*args, env={"KERVAN_DATABASE_URL": url, "KERVAN_STATE": "KAZ"})


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
