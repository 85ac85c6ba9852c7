"""What every CLI command shares: settings, a unit of work, and failing with one line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from kervan.config import Settings
from kervan.db.engine import make_engine
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"kervan: error: {message}", err=True)
    raise typer.Exit(code)


def load_settings(**overrides: object) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"setting {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")


@contextmanager
def cli_session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(node_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()
