"""``kervan benefits load | list | grant-all``: benefit kinds from a file, and grants in bulk."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
import yaml

from kervan.accounts.roles import system_principal
from kervan.benefits import grants, service
from kervan.cli_support import cli_session, fail, load_settings
from kervan.untrusted import MAX_CHARS, load_yaml

app = typer.Typer(help="Benefits for temporary residence.", no_args_is_help=True)


def _read(file: Path) -> object:
    try:
        with file.open(encoding="utf-8") as stream:
            text = stream.read(MAX_CHARS + 1)  # a longer file is refused, not read whole
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}")
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        fail(f"{file} is not YAML: {' '.join(str(exc).split())[:300]}")


@app.command("load")
def load_command(
    file: Path = typer.Argument(..., help="A benefit kinds file (YAML), see docs/benefits.md"),
) -> None:
    """Create or update the benefit kinds of a file; nothing is saved if any is invalid."""
    settings = load_settings()
    data = _read(file)
    if not isinstance(data, dict):
        fail(f"{file}: expected a mapping with 'kinds'")
    with cli_session(settings) as session:
        kinds = service.load_kinds(
            session, system_principal(settings.state, "cli"), data, state=settings.state
        )
        codes = [k.code for k in kinds]
    typer.echo(f"loaded {len(codes)} benefit kinds: {', '.join(codes)}")


@app.command("list")
def list_command() -> None:
    """The node's benefit kinds, one a line: code, active, entitlement days, English name."""
    settings = load_settings()
    with cli_session(settings) as session:
        kinds = service.list_kinds(
            session, system_principal(settings.state, "cli"), state=settings.state
        )
        for kind in kinds:
            flag = "active" if kind.active else "inactive"
            typer.echo(
                f"{kind.code}\t{flag}\t{kind.default_entitlement_days}d\t{kind.name_in('en')}"
            )


@app.command("grant-all")
def grant_all_command(
    kind: str = typer.Argument(..., help="The benefit kind's code"),
    reason: str = typer.Option("", help="Why (kept in the audit log); required unless dry run"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only count who would be granted"),
    until: str | None = typer.Option(None, help="End of entitlement (YYYY-MM-DD)"),
) -> None:
    """Grant a benefit kind to every eligible person who has none (counts by nationality)."""
    settings = load_settings()
    principal = system_principal(settings.state, "cli")
    today = dt.date.today()
    try:
        end = dt.date.fromisoformat(until) if until else None
    except ValueError:
        fail(f"--until {until!r} is not a date (YYYY-MM-DD)")
    if not dry_run and len(reason.strip()) < 3:
        fail("give --reason (at least 3 characters), or use --dry-run")
    with cli_session(settings) as session:
        found = service.get_kind(session, principal, state=settings.state, code=kind)
        if dry_run:
            preview = grants.preview_grant_all(session, principal, found, today=today)
            counts, total, verb = preview.by_nationality, preview.total, "would grant"
        else:
            result = grants.grant_all(
                session, principal, found, reason, today=today, entitlement_until=end
            )
            counts, total, verb = result.by_nationality, result.granted, "granted"
    typer.echo(f"{verb} {kind} to {total} persons")
    typer.echo(json.dumps(counts, sort_keys=True))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="benefits")
