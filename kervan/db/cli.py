"""``kervan db``: schema migrations."""

from __future__ import annotations

import typer

from kervan.cli_support import fail, load_settings
from kervan.db.engine import make_engine

app = typer.Typer(help="The node's database.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(revision: str = typer.Argument("head")) -> None:
    """Bring the database schema up to date (creates the SQLite file if needed)."""
    from kervan.db.migrate import upgrade
    from kervan.ops.startup import missing_database, sqlite_path

    settings = load_settings()
    path = sqlite_path(settings.database_url)
    if path is not None and not path.parent.is_dir():
        fail(f"the folder {path.parent} of the SQLite database does not exist; create it first")
    if path is None and (missing := missing_database(settings.database_url)) is not None:
        fail(missing)
    upgrade(settings.database_url, revision)
    typer.echo(f"database at revision {revision}")


@app.command("current")
def current_command() -> None:
    """Print the schema revision the database is at."""
    from kervan.db.migrate import current_revision

    engine = make_engine(load_settings().database_url)
    typer.echo(current_revision(engine) or "empty (run `kervan db upgrade`)")
    engine.dispose()


@app.command("rekey-names")
def rekey_names_command() -> None:
    """Recompute the stored name keys of every person and of the consulate's view (after an
    upgrade changed the folding rules)."""
    from kervan.exchange.rekey import rekey_nationals_abroad
    from kervan.registry.rekey import rekey_names

    engine = make_engine(load_settings().database_url)
    try:
        stats = rekey_names(engine)
        abroad = rekey_nationals_abroad(engine)
    finally:
        engine.dispose()
    typer.echo(f"{stats.changed} of {stats.persons} persons had stale search keys; updated")
    typer.echo(
        f"{abroad.changed} of {abroad.documents} documents of nationals abroad had stale "
        "search keys; updated"
    )
