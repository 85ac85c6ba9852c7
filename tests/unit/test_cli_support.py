"""kervan/cli_support.py: a command that fails says so in one line on standard error and exits
non-zero; a bad setting is named by its field; the session commits what the command did."""

from __future__ import annotations

import pytest
import typer
from sqlalchemy import select

from kervan.accounts.audit import record
from kervan.accounts.models import AuditEntry
from kervan.cli_support import cli_session, fail, load_settings


def test_fail_prints_one_line_and_exits_with_the_code(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as caught:
        fail("the file is not a register export", code=2)
    assert caught.value.exit_code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "kervan: error: the file is not a register export\n"


def test_a_bad_setting_is_named_by_its_field(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(typer.Exit) as caught:
        load_settings(state="NOPE")
    assert caught.value.exit_code == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("kervan: error: setting state:")


def test_options_left_out_keep_the_settings_defaults() -> None:
    assert load_settings(state="uzb", database_url=None).state == "UZB"


def test_the_session_commits_what_the_command_did(database_url: str, system: object) -> None:
    settings = load_settings(database_url=database_url)
    with cli_session(settings) as session:
        record(session, system, "test.cli")  # type: ignore[arg-type]
    with cli_session(settings) as session:
        assert session.scalars(select(AuditEntry.action)).all() == ["test.cli"]
