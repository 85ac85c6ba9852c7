"""``kervan reports`` as an operator runs it: generate (idempotent), list, export with the PDF's
detached signature, and one readable line for a period that has not ended (through ``kervan``'s
entry point in the test's process: cli_support)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kervan.reports import service
from tests.functional.cli_support import kervan_here as kervan

pytestmark = pytest.mark.slow


def test_generate_list_and_export(tmp_path: Path) -> None:
    env = {
        "KERVAN_DATABASE_URL": f"sqlite:///{tmp_path / 'node.db'}",
        "KERVAN_STATE": "TUR",
        "KERVAN_KEYS_DIR": str(tmp_path / "keys"),
    }
    assert kervan("db", "upgrade", env=env).returncode == 0
    assert kervan("generate", "--documents", "300", "--seed", "3", env=env).returncode == 0
    assert kervan("keys", "generate", env=env).returncode == 0
    day = service.last_ended(dt.date.today(), 7).label
    made = kervan("reports", "generate", "--date", day, env=env)
    assert made.returncode == 0, made.stderr
    assert f"TUR {day}: revision 1" in made.stdout
    again = kervan("reports", "generate", "--date", day, env=env)
    assert f"TUR {day}: unchanged" in again.stdout
    listed = kervan("reports", "list", env=env)
    assert listed.stdout.split("\t")[:3] == [day, "TUR", "*"]
    out = tmp_path / "report.pdf"
    exported = kervan(
        "reports",
        "export",
        "--date",
        day,
        "--format",
        "pdf",
        "--lang",
        "tr",
        "--out",
        str(out),
        env=env,
    )
    assert exported.returncode == 0, exported.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert (tmp_path / "report.pdf.jws").read_text().count(".") == 2
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    refused = kervan("reports", "generate", "--date", future, env=env)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == ["kervan: error: the period has not ended"]
