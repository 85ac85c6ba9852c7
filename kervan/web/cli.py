"""``kervan serve`` and ``kervan demo`` (one node, or ``--federation``: four)."""

from __future__ import annotations

from pathlib import Path

import typer

from kervan.cli_support import fail, load_settings


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
    documents: int = typer.Option(
        20_000, min=0, help="Stay documents of demo data to generate (with --federation: KAZ's)"
    ),
    database: str = typer.Option("kervan-demo.db", help="SQLite file of the demo node"),
    seed: int = typer.Option(2020, help="Seed of the demo data"),
    fresh: bool = typer.Option(False, help="Delete the demo database first"),
    federation: bool = typer.Option(
        False,
        "--federation",
        help="The secretariat (OTS) and three member nodes (KAZ, UZB, TUR), each its own "
        "process with its own SQLite database and keys, exchanging signed envelopes",
    ),
    base_port: int = typer.Option(
        8100, min=1024, max=65532, help="With --federation: OTS on this port, KAZ, UZB, TUR next"
    ),
    folder: Path = typer.Option(
        Path("kervan-federation"),
        help="With --federation: databases, keys, trust list and logs (made afresh each run)",
    ),
    with_measure: bool = typer.Option(
        True,
        "--with-measure/--without-measure",
        help="With --federation: bring the example emergency regime into force on KAZ once the "
        "nodes are up (without: print how to do it by hand)",
    ),
) -> None:
    """Run a demo node on SQLite with realistic generated data, or with --federation four
    nodes on localhost."""
    if federation:
        from kervan.demo.federation import run
        from kervan.errors import KervanError

        try:
            run(folder, base_port, documents, seed, with_measure=with_measure)
        except KervanError as exc:  # a taken port, a node that stopped: one line, exit 1
            fail(exc.detail)
        return

    import uvicorn

    from kervan.db.migrate import upgrade
    from kervan.demo.node import prepare_demo
    from kervan.web.app import create_app

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
