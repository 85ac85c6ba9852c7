"""``kervan backup`` and ``kervan restore``."""

from __future__ import annotations

from pathlib import Path

import typer

from kervan.cli_support import fail, load_settings


def register(app: typer.Typer) -> None:
    app.command("backup")(backup)
    app.command("restore")(restore)


def backup(
    target: Path = typer.Argument(..., help="File to write (never overwritten)"),
) -> None:
    """Copy the node's database to a file, consistently, while the node runs."""
    from kervan.errors import KervanError
    from kervan.ops.backup import back_up

    settings = load_settings()
    try:
        size = back_up(settings.database_url, target)
    except KervanError as exc:
        fail(exc.detail)
    typer.echo(f"backup written to {target} ({size:,} bytes)")


def restore(
    source: Path = typer.Argument(..., help="A file `kervan backup` wrote"),
) -> None:
    """Restore a backup into an empty database (never over a node's data)."""
    from kervan.errors import KervanError
    from kervan.ops.backup import restore as restore_backup

    settings = load_settings()
    try:
        restore_backup(source, settings.database_url)
    except KervanError as exc:
        fail(exc.detail)
    typer.echo(
        f"restored {source}; now run `kervan audit verify` and `kervan db upgrade` "
        "(if this release is newer than the backup)"
    )
