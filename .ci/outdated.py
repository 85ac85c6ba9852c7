"""``make outdated``: the direct dependencies pinned in pyproject.toml that are behind their
current release on the package index. Exits 1 when any is, so a scheduled CI job (monthly)
turns red and someone moves the pins (then ``make lock``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(.+)$")


def pinned() -> dict[str, str]:
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    found: dict[str, str] = {}
    for spec in [*project["dependencies"], *project["optional-dependencies"]["dev"]]:
        match = PIN.match(spec)
        if match:
            found[match[1].lower().replace("_", "-")] = match[2]
    return found


def main() -> int:
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "list", "--outdated", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
    )
    pins = pinned()
    behind = [
        (p["name"], pins[key], p["latest_version"])
        for p in json.loads(listed.stdout)
        if (key := p["name"].lower().replace("_", "-")) in pins and pins[key] != p["latest_version"]
    ]
    for name, have, latest in sorted(behind):
        print(f"{name}: pinned {have}, current {latest}")
    print(f"{len(behind)} of {len(pins)} pinned dependencies behind")
    return 1 if behind else 0


if __name__ == "__main__":
    sys.exit(main())
