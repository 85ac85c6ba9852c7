"""The demo node's data: generated register rows (once) and one account per role."""

from __future__ import annotations

import datetime as dt

import typer
from sqlalchemy import func, select

from kervan.config import Settings
from kervan.db.engine import make_engine
from kervan.demo.accounts import ensure_demo_accounts
from kervan.demo.example import bring_example_into_force
from kervan.registry.models import StayDocument
from kervan.registry.synthetic import generate, load
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory


def prepare_demo(settings: Settings, *, documents: int, seed: int) -> list[tuple[str, str, str]]:
    """Fill an empty demo database; leave a filled one as it is. Returns the accounts."""
    engine = make_engine(settings.database_url)
    try:
        factory = node_session_factory(engine)
        with factory() as session:
            present = session.scalar(select(func.count()).select_from(StayDocument)) or 0
        if present == 0:
            typer.echo(f"generating {documents:,} stay documents for {settings.state} …")
            stats = load(
                engine,
                generate(documents, seed=seed, host_state=settings.state, today=dt.date.today()),
            )
            typer.echo(
                f"  {stats.rows['persons']:,} persons, {stats.documents:,} documents "
                f"in {stats.seconds:.1f} s"
            )
            with unit_of_work(factory) as session:
                reference = bring_example_into_force(session, settings.state, dt.date.today())
            typer.echo(f"  emergency regime {reference} (the spring-2020 example) in force")
        with unit_of_work(factory) as session:
            from kervan.demo.assistance import seed_cases

            if seeded := seed_cases(session, settings.state):
                typer.echo(f"  {seeded} assistance cases")
            return ensure_demo_accounts(session, settings.state)
    finally:
        engine.dispose()
