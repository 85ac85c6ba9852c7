"""``kervan measures …``: load a measure file, list, preview, bring into force, apply (chunked
and resumable on PostgreSQL), lift, and explain for a person or a document."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import typer

from kervan.accounts.roles import system_principal
from kervan.cli_support import cli_session, fail, load_settings

app = typer.Typer(help="Emergency measures: load, preview, bring into force, apply, explain.")


def _today(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else dt.date.today()
    except ValueError:
        fail(f"--today {value!r} is not a date (YYYY-MM-DD)")


def _echo(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@app.command("load")
def load_command(path: Path = typer.Argument(..., help="A measure file, YAML or JSON")) -> None:
    """Create the draft (or update the draft with the same reference) from a file."""
    from kervan.measures.loader import load_measure, read_measure_file

    settings = load_settings()
    data = read_measure_file(path)
    with cli_session(settings) as session:
        measure = load_measure(session, system_principal(settings.state, "cli"), data)
        typer.echo(f"{measure.reference} {measure.id} {measure.status.value}")


@app.command("list")
def list_command() -> None:
    """Every measure: reference, id, status, period, title."""
    from kervan.measures import service

    settings = load_settings()
    with cli_session(settings) as session:
        for m in service.list_measures(session, system_principal(settings.state, "cli")):
            typer.echo(
                f"{m.reference}\t{m.id}\t{m.status.value}\t"
                f"{m.period_start}..{m.period_end}\t{m.display_title()}"
            )


@app.command("preview")
def preview_command(
    measure: str = typer.Argument(..., help="Id or reference"),
    today: str | None = typer.Option(None, help="Judge ages as of this day (YYYY-MM-DD)"),
) -> None:
    """What the measure would touch now, by nationality and kind, with overlaps."""
    from kervan.measures import service
    from kervan.measures.preview import preview_measure

    settings = load_settings()
    principal = system_principal(settings.state, "cli")
    with cli_session(settings) as session:
        found = service.find_measure(session, principal, measure)
        _echo(preview_measure(session, principal, found.id, today=_today(today)))


@app.command("activate")
def activate_command(measure: str = typer.Argument(..., help="Id or reference")) -> None:
    """Bring a previewed measure into force (then run ``apply``)."""
    from kervan.measures import service

    settings = load_settings()
    principal = system_principal(settings.state, "cli")
    with cli_session(settings) as session:
        found = service.find_measure(session, principal, measure)
        service.activate_measure(session, principal, found.id)
        typer.echo(f"{found.reference} is in force; run: kervan measures apply {found.reference}")


@app.command("apply")
def apply_command(
    measure: str = typer.Argument(..., help="Id or reference"),
    chunk_persons: int = typer.Option(200_000, min=1, help="Persons per chunk (PostgreSQL)"),
    today: str | None = typer.Option(None, help="Judge ages as of this day (YYYY-MM-DD)"),
) -> None:
    """Apply to the whole register; on PostgreSQL chunk by chunk, resuming a killed run."""
    from kervan.db.engine import make_engine
    from kervan.measures import service
    from kervan.wiring import node_session_factory

    settings = load_settings()
    principal = system_principal(settings.state, "cli")
    with cli_session(settings) as session:
        measure_id: uuid.UUID = service.find_measure(session, principal, measure).id
    engine = make_engine(settings.database_url)
    try:
        factory = node_session_factory(engine)
        counts, chunks = service.apply_chunked(
            factory,
            principal,
            measure_id,
            today=_today(today),
            # SQLite: one chunk, one transaction (no concurrent writers to make room for).
            chunk_persons=chunk_persons if engine.dialect.name == "postgresql" else 10**12,
            progress=lambda n, c: typer.echo(f"chunk {n}: {c.documents} documents", err=True),
        )
    finally:
        engine.dispose()
    typer.echo(
        f"extended {counts.documents} documents, wrote {counts.messages} messages, "
        f"waived {counts.violations} violations in {chunks} chunk(s)"
    )


@app.command("lift")
def lift_command(
    measure: str = typer.Argument(..., help="Id or reference"),
    reason: str = typer.Option(..., help="Why it is lifted (kept with the measure)"),
) -> None:
    """Lift: the measure reaches no new records; what it granted stays."""
    from kervan.measures import service

    settings = load_settings()
    principal = system_principal(settings.state, "cli")
    with cli_session(settings) as session:
        found = service.find_measure(session, principal, measure)
        service.lift_measure(session, principal, found.id, reason)
        typer.echo(f"{found.reference} lifted")


@app.command("explain")
def explain_command(
    person: uuid.UUID | None = typer.Option(None, help="A person's id"),
    document: uuid.UUID | None = typer.Option(None, help="A stay document's id"),
    today: str | None = typer.Option(None, help="Judge ages as of this day (YYYY-MM-DD)"),
) -> None:
    """Which measures apply to a person or document, which do not, and why."""
    from kervan.measures import explain

    if (person is None) == (document is None):
        fail("give exactly one of --person or --document")
    settings = load_settings()
    principal = system_principal(settings.state, "cli")
    with cli_session(settings) as session:
        if person is not None:
            result = explain.explain_person(session, principal, person, today=_today(today))
        else:
            assert document is not None
            result = explain.explain_document(session, principal, document, today=_today(today))
        _echo(result.model_dump(mode="json"))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="measures")
