"""``kervan passes verify``, ``kervan accreditations import`` and ``kervan airports assign`` as
an operator runs them (output, one-line errors, exit codes; through ``kervan``'s entry point in
the test's process: cli_support), on a TUR node made by ``kervan.demo.diplomacy_loadtest``
(keys, trust list, sample passes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kervan.demo.diplomacy_loadtest import BORDER_USER, prepare
from tests.functional.cli_support import kervan_here as kervan


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    folder = tmp_path_factory.mktemp("cli")
    settings, passes = prepare(folder)
    env = {"KERVAN_STATE": "TUR", "KERVAN_DATABASE_URL": settings.database_url}
    return env, passes


def test_verify_prints_the_verdict_and_exits_by_it(node: tuple) -> None:
    env, passes = node
    valid = kervan("passes", "verify", passes["valid"], "--airport", "IST", env=env)
    assert valid.returncode == 0, valid.stderr
    assert (
        valid.stdout.startswith("VALID valid:") and "Алимов Бобур (ALIMOV<<BOBUR)" in valid.stdout
    )
    for kind, reason in (
        ("forged", "bad-signature"),
        ("revoked", "revoked"),
        ("expired", "expired"),
        ("wrong-airport", "wrong-airport"),
    ):
        refused = kervan("passes", "verify", passes[kind], "--airport", "IST", env=env)
        assert refused.returncode == 2 and refused.stdout.startswith(f"REFUSED {reason}:")
    garbage = kervan("passes", "verify", "hello", env=env)
    assert garbage.returncode == 2 and "malformed" in garbage.stdout
    bad_zone = kervan("passes", "verify", passes["valid"], "--zone", "roof", env=env)
    assert bad_zone.returncode == 1 and bad_zone.stderr.startswith("kervan: error: --zone")


def test_import_reports_rows_and_assign_checks_the_airport(node: tuple, tmp_path: Path) -> None:
    env, _ = node
    good = tmp_path / "staff.csv"
    good.write_text(
        "home_state,card_number,primary_identifier,secondary_identifier,mission,function,"
        "valid_from,valid_until\nUZB,TR-77,ALIMOV,BOBUR,Consulate,consul,2026-01-01,2027-01-01\n"
    )
    imported = kervan("accreditations", "import", str(good), env=env)
    assert imported.returncode == 0 and "imported 1" in imported.stdout, imported.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("home_state,card_number\nUZBEK,?\n")
    refused = kervan("accreditations", "import", str(bad), env=env)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith("kervan: error: row 2:")
    assigned = kervan("airports", "assign", BORDER_USER, "IST", "saw", env=env)
    assert assigned.returncode == 0 and "IST, SAW" in assigned.stdout
    foreign = kervan("airports", "assign", BORDER_USER, "TAS", env=env)
    assert foreign.returncode == 1 and "TAS is not an airport of TUR" in foreign.stderr
