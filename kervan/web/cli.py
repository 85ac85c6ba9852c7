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
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on"),
    workers: int = typer.Option(1, min=1, max=64, help="HTTP worker processes"),
    root_path: str = typer.Option(
        "", help="Path prefix the reverse proxy serves the node under (e.g. /kervan)"
    ),
    ssl_certfile: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="TLS certificate chain (PEM), to serve HTTPS"
    ),
    ssl_keyfile: Path | None = typer.Option(
        None, exists=True, dir_okay=False, help="TLS private key (PEM) of --ssl-certfile"
    ),
) -> None:
    """Serve the node's API and UI on a database at the head revision."""
    from kervan.ops.serving import serve_node

    if (ssl_certfile is None) != (ssl_keyfile is None):
        fail("--ssl-certfile and --ssl-keyfile go together")
    serve_node(
        load_settings(),
        host=host,
        port=port,
        workers=workers,
        root_path=root_path,
        tls=(ssl_certfile, ssl_keyfile) if ssl_certfile and ssl_keyfile else None,
    )


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
    from kervan.ops.ports import port_taken
    from kervan.ops.serving import refuse_unless_ready
    from kervan.web.app import create_app
    from kervan.web.proxies import SERVER_OPTIONS

    settings = load_settings(state=state, database_url=f"sqlite:///{database}")
    if (reason := port_taken(port)) is not None:  # before anything is deleted or generated
        fail(
            f"port {port} on 127.0.0.1 is not free ({reason}); is a demo running already? "
            "Stop it or choose another --port"
        )
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(database + suffix).unlink(missing_ok=True)
    upgrade(settings.database_url)
    refuse_unless_ready(settings)  # a demo database is one state's: --state must match it
    accounts = prepare_demo(settings, documents=documents, seed=seed)
    typer.echo(f"\nKervan demo node for {settings.state}")
    typer.echo(f"  API docs:  http://127.0.0.1:{port}/api/docs")
    typer.echo(f"  Web UI:    http://127.0.0.1:{port}/")
    for username, role, password in accounts:
        typer.echo(f"  account:   {username} / {password}  ({role})")
    uvicorn.run(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", **SERVER_OPTIONS
    )
