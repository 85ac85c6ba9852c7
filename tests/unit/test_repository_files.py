"""Small promises of the repository itself: what the federation demo leaves is ignored, and
the first ``make demo`` says what it is installing before pip's long silence."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_federation_demos_files_are_ignored() -> None:
    for left in (
        "kervan-federation/kaz.db",
        "kervan-federation/trust.json",
        "kervan-federation/uzb.log",
    ):
        done = subprocess.run(["git", "check-ignore", "-q", left], cwd=ROOT, check=False)
        assert done.returncode == 0, left


def test_the_first_make_demo_says_what_it_is_doing_before_installing() -> None:
    # -n prints the recipe without running it; -W pretends pyproject.toml changed, as on a
    # fresh clone where nothing is installed yet.
    done = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "demo"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    said = next(i for i, line in enumerate(lines) if "Installing Kervan" in line)
    installing = next(i for i, line in enumerate(lines) if "pip install" in line)
    assert said < installing
