"""The ``kervan`` command's entry point. ``kervan``, ``kervan --help`` and ``kervan --version``
answer from here, without importing the commands (every context, SQLAlchemy, FastAPI: over a
second of start-up); anything else is handed to ``kervan.cli``. The summary below is checked
against the commands themselves by tests/unit/test_entry.py."""

from __future__ import annotations

import sys
from typing import Any

COMMANDS = (
    ("translit", "Print a name's ICAO 9303 MRZ form (or its national Latin form with --lang)."),
    ("generate", "Stream realistic synthetic persons and stay documents into the node's database."),
    ("import", "Import persons and stay documents from a CSV, JSON, JSON Lines or XLSX file."),
    ("export", "Export stay documents with their persons, in the import row format."),
    ("serve", "Serve the node's API and UI on a database at the head revision."),
    ("demo", "Run a demo node on SQLite with realistic generated data, or with --federation four"),
    ("worker", "Run the node's background jobs: delivery, measures' apply, audit checkpoints."),
    ("backup", "Copy the node's database to a file, consistently, while the node runs."),
    ("restore", "Restore a backup into an empty database (never over a node's data)."),
    ("db", "The node's database."),
    ("users", "Officers' accounts."),
    ("audit", "The tamper-evident audit log."),
    ("mrz", "Machine readable zones (ICAO 9303)."),
    ("i18n", "Translations of the officer UI."),
    ("benefits", "Benefits for temporary residence."),
    ("measures", "Emergency measures: load, preview, bring into force, apply, explain."),
    ("keys", "This node's Ed25519 signing keys (JWK files, mode 0600)."),
    ("trust", "The trust list: draft, co-sign, verify, install, show."),
    ("exchange", "The message log and deliveries to other nodes."),
    ("passes", "Diplomats' airport passes."),
    ("accreditations", "The accreditation register."),
    ("airports", "Airports and their authority officers."),
    ("cases", "Assistance cases: queue, a case, SLA and counts."),
    ("reports", "Situation reports: generate, list, export."),
    ("returns", "Repatriation: return requests, legs, allocation, manifests, boarding."),
)


def top_help() -> str:
    width = max(len(name) for name, _ in COMMANDS)
    lines = [
        "Usage: kervan [OPTIONS] COMMAND [ARGS]...",
        "",
        "  Kervan: a migration services node of the council of states.",
        "",
        "Options:",
        "  --version  Print the version and exit.",
        "  --help     Show this message and exit.",
        "",
        "Commands:",
        *(f"  {name.ljust(width)}  {summary}" for name, summary in COMMANDS),
        "",
        "`kervan COMMAND --help` describes a command.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> Any:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--version"]:
        from kervan import __version__

        print(f"kervan {__version__}")
        return 0
    if args in ([], ["--help"]):
        print(top_help())
        return 0
    from kervan.cli import main as full_main

    return full_main(args)


if __name__ == "__main__":
    sys.exit(main())
