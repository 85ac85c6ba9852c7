"""``kervan serve`` and ``kervan demo``."""

from __future__ import annotations

from pathlib import Path

import typer

from kervan.cli_support import load_settings


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("demo")(demo)


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
) -> None:
    """Serve the node's API and UI (migrate the database first: `kervan db upgrade`)."""
    import uvicorn

    from kervan.web.app import create_app

    settings = load_settings()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


def demo(
    state: str = typer.Option("KAZ", help="The state the demo node serves"),
    port: int = typer.Option(8000, help="Port to listen on"),
    documents: int = typer.Option(20_000, help="Stay documents of demo data to generate"),
    database: str = typer.Option("kervan-demo.db", help="SQLite file of the demo node"),
    seed: int = typer.Option(2020, help="Seed of the demo data"),
    fresh: bool = typer.Option(False, help="Delete the demo database first"),
) -> None:
    """Run a demo node on SQLite with realistic generated data."""
    import uvicorn

    from kervan.db.migrate import upgrade
    from kervan.web.app import create_app
    from kervan.web.demo import prepare_demo

    settings = load_settings(state=state, database_url=f"sqlite:///{database}")
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)
    upgrade(settings.database_url)
    accounts = prepare_demo(settings, documents=documents, seed=seed)
    typer.echo(f"\nKervan demo node for {settings.state}")
    typer.echo(f"  API docs:  http://127.0.0.1:{port}/api/docs")
    typer.echo(f"  Web UI:    http://127.0.0.1:{port}/")
    for username, role, password in accounts:
        typer.echo(f"  account:   {username} / {password}  ({role})")
    uvicorn.run(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
