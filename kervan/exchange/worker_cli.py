"""``kervan worker`` and ``kervan exchange dead-letters``."""

from __future__ import annotations

import signal
import threading
import uuid

import typer

from kervan.accounts.roles import Principal, Role
from kervan.cli_support import cli_session, fail, load_settings

dead_app = typer.Typer(help="Messages a peer refused or that failed too often.")


def operator() -> Principal:
    """Whoever runs the command on the node's machine acts as its administrator."""
    return Principal(user_id=None, username="cli", role=Role.ADMIN, state=load_settings().state)


def register_worker(app: typer.Typer, exchange_app: typer.Typer) -> None:
    app.command("worker")(worker)
    exchange_app.add_typer(dead_app, name="dead-letters")


def worker(
    once: bool = typer.Option(False, help="Do what is due, then exit"),
    idle: float = typer.Option(0.5, min=0.05, help="Seconds to wait when nothing is due"),
) -> None:
    """Run the node's background jobs: delivery, measures' apply, audit checkpoints.

    Delivers the outbox to the other nodes, applies measures brought into force to the whole
    register and signs the audit log's checkpoints; several may run at once on PostgreSQL."""
    from kervan.db.engine import make_engine
    from kervan.errors import KervanError
    from kervan.exchange.keys import load_signing_key
    from kervan.jobs import JobRunner
    from kervan.ops.serving import refuse_unless_ready
    from kervan.wiring import session_factory, wire

    settings = load_settings()
    refuse_unless_ready(settings)
    try:
        load_signing_key(settings)  # refuse to start half a worker
    except KervanError as exc:
        fail(exc.detail)
    engine = make_engine(settings.database_url)
    wiring = wire(settings)
    runner = JobRunner(session_factory(engine, wiring), wiring.jobs)
    try:
        if once:
            runner.drain()
            typer.echo("done: nothing left to do")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        typer.echo(f"worker for {settings.state} running; Ctrl-C to stop")
        runner.run_forever(stop, idle)
    finally:
        runner.close()
        engine.dispose()


@dead_app.command("list")
def dead_list(
    peer: str | None = typer.Option(None, help="Only messages to this state"),
    limit: int = typer.Option(100, min=1, max=10_000),
) -> None:
    """Show dead letters with the reason (a refused one has the peer's signed receipt)."""
    from kervan.exchange.dead_letters import list_dead

    with cli_session(load_settings()) as session:
        letters = list_dead(session, operator(), peer, limit)
    for d in letters:
        typer.echo(
            f"{d.id}  {d.type}  → {d.to_state}  {d.status}  attempts {d.attempts}  "
            f"{d.subject}  {d.last_error}"
        )
    typer.echo(f"{len(letters)} dead letters")


@dead_app.command("retry")
def dead_retry(
    ids: list[str] = typer.Argument(None, help="Message ids (none: all, or all of --peer)"),
    peer: str | None = typer.Option(None, help="Only messages to this state"),
) -> None:
    """Put dead letters back in the queue."""
    from kervan.exchange.dead_letters import retry

    try:
        wanted = [uuid.UUID(i) for i in ids] if ids else None
    except ValueError as exc:
        fail(f"not a message id: {exc}")
    with cli_session(load_settings()) as session:
        count = retry(session, operator(), wanted, peer)
    typer.echo(f"{count} messages queued again")
