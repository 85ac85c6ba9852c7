"""``kervan benefits load | list | grant-all``, run through Typer against a migrated database
(the command is registered on a local app until ``kervan/cli.py`` wires it)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from kervan.benefits.cli import register
from tests.functional.benefits_support import seed_traveller

EXAMPLE = Path(__file__).parents[2] / "kervan" / "benefits" / "examples" / "kaz-2020.yaml"


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("noop")(lambda: None)  # a group needs two commands to keep its sub-command name
    register(app)
    return app


def test_load_list_and_grant_all(
    database_url: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    env = {"KERVAN_DATABASE_URL": database_url, "KERVAN_STATE": "KAZ"}
    runner = CliRunner()
    app = _app()
    loaded = runner.invoke(app, ["benefits", "load", str(EXAMPLE)], env=env)
    assert loaded.exit_code == 0, loaded.output
    assert "loaded 3 benefit kinds" in loaded.output
    listed = runner.invoke(app, ["benefits", "list"], env=env)
    assert "fee_waiver\tactive\t90d\tFee waiver" in listed.output

    # The example's rules are about spring 2020: a document that ended then is eligible.
    seed_traveller(
        session_factory, valid_from=dt.date(2019, 9, 1), valid_until=dt.date(2020, 4, 10)
    )
    dry = runner.invoke(
        app, ["benefits", "grant-all", "simplified_temporary_residence", "--dry-run"], env=env
    )
    assert dry.exit_code == 0, dry.output
    assert "would grant simplified_temporary_residence to 1 persons" in dry.output
    assert '{"UZB": 1}' in dry.output
    no_reason = runner.invoke(app, ["benefits", "grant-all", "fee_waiver"], env=env)
    assert no_reason.exit_code == 1
    done = runner.invoke(
        app,
        ["benefits", "grant-all", "simplified_temporary_residence", "--reason", "decree 123"],
        env=env,
    )
    assert "granted simplified_temporary_residence to 1 persons" in done.output

    bad = tmp_path / "bad.yaml"
    bad.write_text("kinds:\n  - code: x_y\n    names: {en: X}\n    eligibility: {age: {}}\n")
    refused = runner.invoke(app, ["benefits", "load", str(bad)], env=env)
    assert refused.exit_code != 0
