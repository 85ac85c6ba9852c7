"""``kervan keys``, ``kervan trust`` and ``kervan exchange verify`` as an operator uses them:
three states build, co-sign and install a trust list; a bad one is refused with reasons."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from kervan.exchange.cli import register

ENDPOINTS = {"OTS": 8100, "KAZ": 8101, "UZB": 8102}


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def run(cli: typer.Typer, *args: str, state: str, tmp_path: Path, db: str) -> str:
    env = {
        "KERVAN_STATE": state,
        "KERVAN_KEYS_DIR": str(tmp_path / state),
        "KERVAN_DATABASE_URL": db,
    }
    result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_operator_builds_cosigns_and_installs_a_trust_list(
    cli: typer.Typer, tmp_path: Path, database_url: str
) -> None:
    node_args = []
    for state, port in ENDPOINTS.items():
        kid = run(cli, "keys", "generate", state=state, tmp_path=tmp_path, db=database_url)
        assert kid.startswith(f"{state}:")
        private = next((tmp_path / state).glob("*.jwk"))
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
        exported = run(cli, "keys", "export", state=state, tmp_path=tmp_path, db=database_url)
        assert '"d"' not in exported
        (tmp_path / f"{state}.pub.json").write_text(exported)
        node_args += ["--node", f"{state}=http://127.0.0.1:{port}={tmp_path / f'{state}.pub.json'}"]
    draft = tmp_path / "trust.json"
    kw = {"tmp_path": tmp_path, "db": database_url}
    run(
        cli,
        "trust",
        "draft",
        "--version",
        "1",
        "--threshold",
        "2",
        *node_args,
        "--output",
        str(draft),
        state="OTS",
        **kw,
    )
    for state in ENDPOINTS:
        run(cli, "trust", "sign", str(draft), state=state, **kw)
    assert len(json.loads(draft.read_text())["signatures"]) == 3
    verified = run(cli, "trust", "verify", str(draft), "--bootstrap", state="KAZ", **kw)
    assert verified.startswith("accepted")
    installed = run(cli, "trust", "install", str(draft), "--bootstrap", state="KAZ", **kw)
    assert installed.startswith("accepted")
    shown = run(cli, "trust", "show", state="KAZ", **kw)
    assert "version 1" in shown and "UZB  http://127.0.0.1:8102" in shown

    # Version 2 signed by the secretariat alone is refused, with the reason.
    second = tmp_path / "trust2.json"
    run(
        cli,
        "trust",
        "draft",
        "--version",
        "2",
        "--based-on",
        str(draft),
        "--output",
        str(second),
        state="OTS",
        **kw,
    )
    run(cli, "trust", "sign", str(second), state="OTS", **kw)
    result = CliRunner().invoke(
        cli,
        ["trust", "install", str(second)],
        env={"KERVAN_STATE": "KAZ", "KERVAN_DATABASE_URL": database_url},
    )
    assert result.exit_code != 0
    assert "0 of 2 member states" in str(result.exception) or "0 of 2" in result.output


def test_exchange_verify_proves_a_received_envelope(
    cli: typer.Typer, tmp_path: Path, database_url: str
) -> None:
    from kervan.config import Settings
    from kervan.db.base import utcnow
    from kervan.db.engine import make_engine, make_sessionmaker
    from kervan.demo.trust_setup import make_federation
    from kervan.exchange.inbox import receive_batch
    from kervan.exchange.trust_store import install
    from kervan.uow import unit_of_work
    from tests.unit.exchange.support import envelope, stay_body

    endpoints = {s: f"http://127.0.0.1:{p}" for s, p in ENDPOINTS.items()}
    document, signers = make_federation(tmp_path, endpoints, threshold=2)
    compact = envelope(signers["UZB"], to="KAZ", body=stay_body(nationality="KAZ", host="UZB"))
    engine = make_engine(database_url)
    with unit_of_work(make_sessionmaker(engine)) as session:
        install(session, document, utcnow(), bootstrap=True)
        settings = Settings(state="KAZ", database_url=database_url)
        (outcome,) = receive_batch(session, settings, signers["KAZ"], [compact])
    engine.dispose()
    assert outcome.status == "accepted"
    message_id = json.loads(base64.urlsafe_b64decode(compact.split(".")[1] + "=="))["id"]
    shown = run(
        cli, "exchange", "verify", message_id, state="KAZ", tmp_path=tmp_path, db=database_url
    )
    assert "[ok] envelope signature: signed by UZB:" in shown
    assert "[ok] receipt covers these bytes" in shown and shown.rstrip().endswith("proven")
    letters = run(
        cli, "exchange", "dead-letters", "list", state="KAZ", tmp_path=tmp_path, db=database_url
    )
    assert "0 dead letters" in letters
