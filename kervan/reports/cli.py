"""``kervan reports generate | list | export``: the situation report of a period, on demand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from kervan.cli_support import cli_session, fail, load_settings
from kervan.exchange.keys import load_signing_key
from kervan.reports import exports, service
from kervan.reports.period import Period
from kervan.reports.signature import sign_detached

app = typer.Typer(help="Situation reports: generate, list, export.", no_args_is_help=True)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{value!r} is not a date (YYYY-MM-DD)")


@app.command("generate")
def generate_command(
    date: str | None = typer.Option(
        None, help="Reference date, the period's last day (default: the last period ended)"
    ),
) -> None:
    """Make (or make again) a period's report, protect it and send it; unchanged: nothing."""
    settings = load_settings()
    schedule = service.schedule_of(settings)
    today = dt.date.today()
    reference = _date(date)
    period = (
        Period(reference, schedule.period_days)
        if reference
        else service.last_ended(today, schedule.period_days)
    )
    with cli_session(settings) as session:
        report, changed = service.generate(
            session, settings.state, period, schedule, actor="cli", today=today
        )
        audit = report.body["audit"]
        what = f"revision {report.revision}" if changed else "unchanged"
        typer.echo(
            f"{settings.state} {period.label}: {what}; {audit['suppressed']} cells suppressed, "
            f"audit passed over {len(audit['periods'])} periods"
        )


@app.command("list")
def list_command() -> None:
    """Reports this node holds, one a line: reference date, host state, audience, revision."""
    settings = load_settings()
    with cli_session(settings) as session:
        for report in service.all_reports(session):
            origin = report.origin.value
            typer.echo(
                f"{report.reference_date}\t{report.host_state}\t{report.audience}\t"
                f"r{report.revision}\t{origin}"
            )


@app.command("export")
def export_command(
    date: str = typer.Option(..., help="Reference date of the report"),
    format: str = typer.Option("csv", help="csv, xlsx, sdmx (SDMX-CSV) or pdf"),
    out: Path = typer.Option(..., help="File to write"),
    state: str | None = typer.Option(None, help="Host state (default: this node's)"),
    lang: str = typer.Option("en", help="Language of the PDF"),
) -> None:
    """Write a report as CSV, XLSX, SDMX-CSV or a signed PDF."""
    settings = load_settings()
    reference = _date(date)
    assert reference is not None
    if format not in exports.FORMATS:
        fail(f"format must be one of {', '.join(exports.FORMATS)}")
    with cli_session(settings) as session:
        report = service.get(session, state or settings.state, reference)
        data = exports.render(report, format, lang=lang, settings=settings)
    out.write_bytes(data)
    typer.echo(f"wrote {out}")
    if format == "pdf":
        signature = out.with_name(out.name + ".jws")
        signature.write_text(sign_detached(load_signing_key(settings), data) + "\n")
        typer.echo(f"wrote {signature} (the node's detached signature, docs/reports.md)")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="reports")
