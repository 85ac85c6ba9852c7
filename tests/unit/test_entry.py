"""``kervan --help`` answers from a summary kept in kervan/entry.py (so that it needs no
imports); this keeps that summary equal to the commands the CLI really has."""

from __future__ import annotations

import subprocess
import sys

import typer.main

from kervan.cli import app
from kervan.entry import COMMANDS, main, top_help


def test_the_fast_help_lists_exactly_the_commands_with_their_summaries() -> None:
    group = typer.main.get_command(app)
    real = {
        name: (command.help or "").strip().splitlines()[0]
        for name, command in group.commands.items()  # type: ignore[attr-defined]
    }
    assert dict(COMMANDS) == real


def test_help_and_version_need_no_command_module(capsys: object) -> None:
    assert main(["--version"]) == 0
    assert main(["--help"]) == 0
    assert "Commands:" in top_help() and "backup" in top_help()


def test_help_and_version_import_no_command_framework_or_database_library() -> None:
    probe = (
        "import sys; from kervan.entry import main; main(['--help']); main(['--version']); "
        "heavy = {'typer', 'click', 'sqlalchemy', 'fastapi', 'kervan.cli'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
