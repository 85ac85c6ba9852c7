"""``kervan generate``, ``kervan import`` and ``kervan export``: the register in bulk."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from kervan.cli_support import fail, load_settings
from kervan.db.engine import make_engine
from kervan.registry.transfer.cli import register as register_transfer


def generate_command(
    documents: int = typer.Option(10_000, min=1, help="Stay documents to generate"),
    seed: int = typer.Option(1, min=0, help="Same seed, same data"),
    state: str | None = typer.Option(None, help="Host state (default: the node's state)"),
    today: str | None = typer.Option(None, help="The day the data is 'as of' (YYYY-MM-DD)"),
) -> None:
    """Stream realistic synthetic persons and stay documents into the node's database."""
    from kervan.registry.synthetic import generate, load

    settings = load_settings()
    host = (state or settings.state).upper()
    try:
        as_of = dt.date.fromisoformat(today) if today else dt.date.today()
    except ValueError:
        fail(f"--today {today!r} is not a date (YYYY-MM-DD)")
    engine = make_engine(settings.database_url)
    try:
        bar: Any
        with typer.progressbar(length=documents, label="documents") as bar:
            last = 0

            def progress(done: int) -> None:
                nonlocal last
                bar.update(done - last)
                last = done

            stats = load(
                engine,
                generate(documents, seed=seed, host_state=host, today=as_of),
                progress=progress,
            )
    finally:
        engine.dispose()
    typer.echo(
        f"generated {stats.documents} stay documents of {stats.rows['persons']} persons "
        f"({stats.rows_per_second:,.0f} rows/s)"
    )


def register(app: typer.Typer) -> None:
    app.command("generate")(generate_command)
    register_transfer(app)
