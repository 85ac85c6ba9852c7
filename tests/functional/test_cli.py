"""The ``kervan`` command as a user runs it: a real process, its output and exit code."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kervan.db.engine import make_engine, make_sessionmaker
from kervan.identity.mrz_build import MRZFields, compose_td3
from kervan.registry.models import Person, StayDocument


def kervan(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kervan", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_mrz_parse_prints_fields() -> None:
    lines = compose_td3(
        MRZFields(
            document_number="AB1234567",
            nationality="UZB",
            birth_date=dt.date(1988, 3, 14),
            expiry_date=dt.date(2030, 1, 1),
            primary_identifier="RAHIMOV",
            secondary_identifier="UTKIR",
            sex="M",
        )
    )
    result = kervan("mrz", "parse", *lines)
    assert result.returncode == 0, result.stderr
    fields = json.loads(result.stdout)
    assert fields["primary_identifier"] == "RAHIMOV"
    assert fields["birth_date"] == "1988-03-14"


def test_mrz_parse_rejects_with_one_line() -> None:
    result = kervan("mrz", "parse", "P<UTOERIKSSON<<ANNA<MARIA", "L898902C36UTO7408122F1204159")
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("kervan: error: invalid MRZ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Ўткир Раҳимов", "UTKIR RAHIMOV"), ("Şükrü Öztürk", "SUEKRUE OEZTUERK"), ("Юлия", "IULIIA")],
)
def test_translit_prints_the_mrz_form(name: str, expected: str) -> None:
    result = kervan("translit", name)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_db_upgrade_then_generate(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'node.db'}"
    env = {"KERVAN_DATABASE_URL": url, "KERVAN_STATE": "TUR"}
    assert kervan("db", "upgrade", env=env).returncode == 0
    result = kervan("generate", "--documents", "300", "--seed", "5", env=env)
    assert result.returncode == 0, result.stderr
    engine = make_engine(url)
    with make_sessionmaker(engine)() as session:
        documents = session.scalar(select(func.count()).select_from(StayDocument))
        hosts = set(session.scalars(select(StayDocument.host_state).distinct()))
        turks = session.scalar(
            select(func.count()).select_from(Person).where(Person.nationality == "TUR")
        )
    engine.dispose()
    assert documents == 300
    assert hosts == {"TUR"}
    assert turks == 0  # a state's own nationals are not foreigners in its register


def test_bad_setting_is_one_line() -> None:
    result = kervan("db", "current", env={"KERVAN_STATE": "ZZZ"})
    assert result.returncode == 1
    assert "KERVAN_STATE" in result.stderr or "state" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_domain_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    env = {"KERVAN_DATABASE_URL": f"sqlite:///{tmp_path / 'node.db'}"}
    assert kervan("db", "upgrade", env=env).returncode == 0
    result = kervan("measures", "activate", "no-such-measure", env=env)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == ["kervan: error: no measure no-such-measure"]
