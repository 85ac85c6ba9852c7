"""``kervan`` run in the test's own process: the console script's entry point
(``kervan.entry.main``, with its one-line errors and exit codes) on the arguments and
environment given, its stdout and stderr captured apart. What a test reads is what the process
would print and return; what it saves is the interpreter's start-up and ``kervan.cli``'s imports
(a few seconds a command on a busy machine). The start-up itself is tested as a real process
in test_cli.py and test_ops_cli.py."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

from typer.testing import CliRunner

from kervan import entry


def kervan_here(
    *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``kervan ARGS`` with ``env`` added to the environment, as a finished process."""
    runner = CliRunner()
    with runner.isolation(env=dict(env or {})) as (stdout, stderr, _mixed):
        try:
            returned = entry.main(list(args))
            code = 0 if returned is None else int(returned)
        except SystemExit as exit_:
            code = _exit_status(exit_.code)
        sys.stdout.flush(), sys.stderr.flush()  # the runner's text wrappers over the bytes
        printed, errors = stdout.getvalue().decode(), stderr.getvalue().decode()
    return subprocess.CompletedProcess(["kervan", *args], code, printed, errors)


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    return 1  # sys.exit("message"): Python prints it and exits with 1
