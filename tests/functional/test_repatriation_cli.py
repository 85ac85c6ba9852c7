"""``kervan returns`` as a consul runs it, on the home node's database: a spreadsheet of
requests (a bad one refused with its row numbers, nothing stored), a leg, the allocation and
its explanations' counts, an exclusion, a cancellation, a manifest, and one readable line with
a non-zero exit for what is wrong. The commands run in the test's process through
``kervan.cli.main`` (a process costs seconds each); the allocation runs once as a real
process, whose output must hold no solver banner."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update

from kervan.cli import main
from kervan.repatriation.models import Leg, LegStatus
from kervan.repatriation.transfer import COLUMNS

ROW = {
    "host_state": "KAZ", "origin": "ALA", "destination": "TAS", "earliest_date": "2026-01-01",
    "document_status": "valid_passport", "consent": "yes", "birth_date": "1980-02-10",
    "sex": "M", "passport_state": "UZB",
}  # fmt: skip


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def kervan(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Ran]:
    monkeypatch.setenv("KERVAN_DATABASE_URL", database_url)
    monkeypatch.setenv("KERVAN_STATE", "UZB")

    def run(*args: str) -> Ran:
        capsys.readouterr()
        try:
            main(["returns", *args])
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = capsys.readouterr()
        return Ran(code, out.out, out.err)

    return run


def _process(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KERVAN_DATABASE_URL": url, "KERVAN_STATE": "UZB"}
    return subprocess.run(
        [sys.executable, "-m", "kervan.entry", "returns", *args],
        env=env,
        capture_output=True,
        text=True,
    )


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    lines = [",".join(COLUMNS)] + [",".join(r.get(c, "") for c in COLUMNS) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_consul_works_from_the_terminal(
    kervan: Callable[..., Ran], database_url: str, tmp_path: Path
) -> None:
    people = [
        {**ROW, "group": "1", "primary_identifier": "KARIMOV", "passport_number": "FA7000001",
         "priority_reasons": "medical"},
        {**ROW, "group": "2", "primary_identifier": "OLIMOV", "passport_number": "FA7000002"},
        {**ROW, "group": "2", "primary_identifier": "OLIMOVA", "passport_number": "FA7000003",
         "relationship_to_applicant": "spouse"},
        {**ROW, "group": "3", "primary_identifier": "SAIDOV", "passport_number": "FA7000004",
         "priority_reasons": "elderly;no_income"},
    ]  # fmt: skip
    bad = _csv(
        tmp_path / "bad.csv",
        [people[0], {**people[1], "birth_date": "1980-13-40"}, {**people[3], "consent": "no"}],
    )
    refused = kervan("import", str(bad))
    assert refused.returncode == 1, refused.stdout
    assert "row 3: birth_date:" in refused.stderr and "row 4: consent:" in refused.stderr
    assert "nothing was stored" in refused.stderr
    assert kervan("list").stdout == ""

    imported = kervan("import", str(_csv(tmp_path / "good.csv", people)))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "imported 3 requests (4 people)"
    added = kervan(
        "add", "--host-state", "KAZ", "--origin", "ALA", "--destination", "TAS",
        "--earliest", "2026-01-01", "--surname", "Nazarov", "--birth-date", "1975-05-05",
        "--passport", "FA7000005", "--reason", "pregnancy", "--consent",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    no_consent = kervan(
        "add", "--host-state", "KAZ", "--origin", "ALA", "--destination", "TAS",
        "--earliest", "2026-01-01", "--surname", "NAZAROV", "--birth-date", "1975-05-05",
    )  # fmt: skip
    assert no_consent.returncode == 1 and no_consent.stderr.startswith("kervan: error: consent")

    departs = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0)
    leg = kervan(
        "legs", "add", "--host-state", "KAZ", "--operator", "Uzbekistan Airways",
        "--number", "HY 2712", "--origin", "ALA", "--origin-name", "Almaty",
        "--destination", "TAS", "--destination-name", "Tashkent",
        "--departs", departs.isoformat(),
        "--arrives", (departs + dt.timedelta(hours=2)).isoformat(),
        "--seats", "4", "--held", "1",
    )  # fmt: skip
    assert leg.returncode == 0 and leg.stdout.endswith("announced to KAZ\n"), leg.stderr
    leg_id = leg.stdout.split("\t")[0]
    engine = create_engine(database_url)  # KAZ's agreement, as its envelope would bring it
    with engine.begin() as connection:
        connection.execute(update(Leg).values(status=LegStatus.AGREED))
    engine.dispose()

    run = _process(database_url, "allocate")
    assert run.returncode == 0, run.stderr
    assert "HiGHS" not in run.stdout  # the solver's banner is kept off the output
    assert run.stdout.startswith("seated 3 requests (3 people), waiting 1")
    assert (
        "repatriation.waiting-priority\t1" in run.stdout and "repatriation.seated\t3" in run.stdout
    )
    listed = kervan("list", "--status", "allocated").stdout.splitlines()
    assert len(listed) == 3 and all(leg_id in line for line in listed)
    reference = listed[0].split("\t")[0]
    excluded = kervan("exclude", reference.lower(), "--reason", "travels alone")
    assert excluded.stdout == f"{reference}\texcluded\n", excluded.stderr
    cancelled = kervan("cancel", reference, "--reason", "by phone", "--no-show")
    assert cancelled.stdout == f"{reference}\tno_show\n", cancelled.stderr
    again = kervan("allocate")
    assert again.stdout.startswith("seated 2 requests (2 people), waiting 1"), again.stderr
    arrival = (departs + dt.timedelta(hours=2)).date().isoformat()
    placed = kervan("reception", "set", "tas", arrival, "1")
    assert placed.stdout == f"TAS {arrival}: 1\n", placed.stderr
    assert kervan("reception", "list").stdout == f"{arrival}\tTAS\t1\t2\n"
    bad = kervan("reception", "set", "T", arrival, "1")
    assert bad.returncode == 1 and "is not a place code" in bad.stderr
    third = kervan("allocate")  # the destination now receives one person that day
    assert third.stdout.startswith("seated 1 requests (1 people)"), third.stdout

    out = tmp_path / "manifest.edi"
    written = kervan("manifest", leg_id, "--format", "edi", "--out", str(out))
    assert written.returncode == 0 and out.read_text().startswith("UNB+UNOA:4+UZB+KAZ")
    wrong = kervan("manifest", leg_id, "--format", "doc", "--out", str(out))
    assert wrong.returncode == 1 and wrong.stderr.startswith("kervan: error: format")
    unknown = kervan("pin", "R-ZZZZ-ZZZZ", leg_id, "--reason", "medical escort")
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1
    assert "no return request R-ZZZZ-ZZZZ" in unknown.stderr
    not_an_id = kervan("board", "HY2712", "--mrz", "P<", "--mrz", "X")
    assert not_an_id.returncode == 1 and "is not a leg id" in not_an_id.stderr
