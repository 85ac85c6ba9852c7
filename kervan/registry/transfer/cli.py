"""``kervan import FILE`` and ``kervan export``: the register to and from files, run by the
operator as the node itself."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, system_principal
from kervan.cli_support import cli_session, fail, load_settings
from kervan.registry.enums import StayKind, StayStatus
from kervan.registry.queries import DocumentFilter
from kervan.registry.transfer import exporter
from kervan.registry.transfer.formats import FileFormat, detect_format, estimate_rows
from kervan.registry.transfer.importer import Progress, import_file
from kervan.registry.transfer.report import ImportFileError, ImportReport

#: Row errors printed by ``kervan import``; the full list is in the API's report.
ERRORS_SHOWN = 50


@contextmanager
def _progress_bar(path: Path, file_format: FileFormat) -> Iterator[Progress | None]:
    # Only for a person watching: a bar in a log file or a pipe is noise.
    if not sys.stderr.isatty():
        yield None
        return
    total = estimate_rows(path, file_format) or 0
    bar: Any  # click's ProgressBar, a private class
    with typer.progressbar(length=total, label="importing", file=sys.stderr) as bar:
        yield bar.update


def _print_report(report: ImportReport) -> None:
    typer.echo(report.summary())
    for error in report.errors[:ERRORS_SHOWN]:
        typer.echo(error.text(), err=True)
    if report.error_count > ERRORS_SHOWN:
        typer.echo(f"... and {report.error_count - ERRORS_SHOWN} more", err=True)
    if report.error_count:
        typer.echo(f"{report.error_count} error(s) in {report.rows_rejected} row(s)", err=True)


def import_command(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="The file to import"
    ),
    file_format: str | None = typer.Option(
        None, "--format", help="csv, json, jsonl or xlsx (default: from the file name)"
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and count; write nothing"),
    partial: bool = typer.Option(
        False, "--partial", help="Import the good rows even if some are bad (default: all or none)"
    ),
    initial: bool | None = typer.Option(
        None,
        "--initial/--no-initial",
        show_default=False,
        help="First load into an empty register: indexes built after, history per batch "
        "(default: when the register is empty and the file has 20,000 rows or more)",
    ),
) -> None:
    """Import persons and stay documents from a CSV, JSON, JSON Lines or XLSX file.

    Exits 1 if any row is bad, after printing the first 50 problems."""
    settings = load_settings()
    principal = system_principal(settings.state, "cli")
    try:
        fmt = detect_format(file.name, file_format)
        with cli_session(settings) as session, _progress_bar(file, fmt) as progress:
            report = import_file(
                session,
                principal,
                file,
                host_state=settings.state,
                dry_run=dry_run,
                all_or_nothing=not partial,
                file_format=fmt,
                progress=progress,
                initial=initial,
                limits=settings.import_limits(),
            )
    except ImportFileError as exc:
        fail(f"{file.name}: {exc.detail}")
    # Printed after the unit of work has committed: exiting inside it would roll it back.
    _print_report(report)
    if report.error_count:
        raise typer.Exit(1)


def _date_option(help_text: str) -> dt.datetime | None:
    option: dt.datetime | None = typer.Option(None, formats=["%Y-%m-%d"], help=help_text)
    return option


def export_command(
    file_format: str = typer.Option("csv", "--format", help="csv or json"),
    output: str = typer.Option("-", "--output", "-o", help="File to write, or - for stdout"),
    nationality: str | None = typer.Option(None, help="Only nationals of this state"),
    kind: StayKind | None = typer.Option(None, help="Only documents of this kind"),
    status: StayStatus | None = typer.Option(None, help="Only documents in this status"),
    expires_from: dt.datetime | None = _date_option("Only documents valid until this day or later"),
    expires_to: dt.datetime | None = _date_option("Only documents valid until this day or earlier"),
) -> None:
    """Export stay documents with their persons, in the import row format."""
    fmt = exporter.export_format(file_format)
    settings = load_settings()
    principal = system_principal(settings.state, "cli")
    filters = DocumentFilter(
        nationality=nationality.upper() if nationality else None,
        kind=kind,
        status=status,
        expires_from=expires_from.date() if expires_from else None,
        expires_to=expires_to.date() if expires_to else None,
    )
    with cli_session(settings) as session:
        if output == "-":
            count = exporter.write_export(
                session, principal, sys.stdout, fmt, filters, host_state=settings.state
            )
        else:
            count = _export_to_file(session, principal, Path(output), fmt, filters, settings.state)
    typer.echo(f"exported {count} stay document(s)", err=True)


def _export_to_file(
    session: Session,
    principal: Principal,
    path: Path,
    fmt: exporter.ExportFormat,
    filters: DocumentFilter,
    host_state: str,
) -> int:
    # Written beside the target and renamed at the end: a failed export leaves no half file.
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            count = exporter.write_export(
                session, principal, out, fmt, filters, host_state=host_state
            )
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return count


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)
