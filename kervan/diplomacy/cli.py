"""``kervan passes verify`` (a pass from the command line), ``kervan accreditations import``
and ``kervan airports assign`` (which airports an authority officer decides for)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from sqlalchemy import delete, select

from kervan.accounts.models import User
from kervan.accounts.roles import Principal, Role, system_principal
from kervan.cli_support import cli_session, fail, load_settings
from kervan.db.base import utcnow
from kervan.diplomacy.airports import AIRPORTS, controlling_state
from kervan.diplomacy.models import AirportAssignment
from kervan.diplomacy.verification import Post

passes_app = typer.Typer(help="Diplomats' airport passes.", no_args_is_help=True)
accreditations_app = typer.Typer(help="The accreditation register.", no_args_is_help=True)
airports_app = typer.Typer(help="Airports and their authority officers.", no_args_is_help=True)


def _verifier(state: str) -> Principal:
    # The operator at the node's console acts as the airport authority of the node's state.
    return Principal(user_id=None, username="cli", role=Role.BORDER_OFFICER, state=state)


@passes_app.command("verify")
def verify_command(
    text: str = typer.Argument("-", help="The pass text (KVP1:…), or - to read it from stdin"),
    airport: str | None = typer.Option(None, help="The airport (IATA) of the hall door"),
    zone: str | None = typer.Option(None, help="departures, arrivals or transit"),
) -> None:
    """Check a pass against the trust list and the revocations this node knows: prints the
    verdict and the holder; exits 0 when valid, 2 when refused."""
    from kervan.diplomacy.verifier import verify
    from kervan.exchange import trust_store

    if text == "-":
        text = sys.stdin.read(4000)
    if zone not in (None, "departures", "arrivals", "transit"):
        fail("--zone must be departures, arrivals or transit")
    settings = load_settings()
    with cli_session(settings) as session:
        result = verify(
            session,
            _verifier(settings.state),
            text,
            Post(airport.upper() if airport else None, zone),
            trust=trust_store.require_current(session),
            node_state=settings.state,
            now=utcnow(),
        )
    holder = f" — {result.holder_native} ({result.holder_mrz})" if result.holder_mrz else ""
    typer.echo(f"{'VALID' if result.valid else 'REFUSED'} {result.reason}: {result.detail}{holder}")
    if not result.valid:
        raise typer.Exit(2)


@accreditations_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="CSV with a header row, or a signed list (JWS)"),
) -> None:
    """Import accreditations: all rows or none; bad rows are named by number."""
    from kervan.diplomacy.api import MAX_IMPORT_BYTES, import_text

    try:
        if file.stat().st_size > MAX_IMPORT_BYTES:
            fail(f"{file} is larger than {MAX_IMPORT_BYTES:,} bytes")
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")
    settings = load_settings()
    with cli_session(settings) as session:
        count = import_text(session, system_principal(settings.state, "cli"), text, settings.state)
    typer.echo(f"imported {count} accreditations")


@airports_app.command("assign")
def assign_command(
    username: str = typer.Argument(..., help="A border officer's user name"),
    airports: list[str] = typer.Argument(..., help="IATA codes of this node's airports"),
    replace: bool = typer.Option(False, help="Remove the user's other airports"),
) -> None:
    """Let a border officer decide access requests for these airports of this node's state."""
    settings = load_settings()
    codes = [a.upper() for a in airports]
    for code in codes:
        if controlling_state(code) != settings.state:
            fail(f"{code} is not an airport of {settings.state} ({', '.join(sorted(AIRPORTS))})")
    with cli_session(settings) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or user.role is not Role.BORDER_OFFICER:
            fail(f"{username} is not a border officer of this node")
        if replace:
            session.execute(delete(AirportAssignment).where(AirportAssignment.user_id == user.id))
        known = set(
            session.scalars(
                select(AirportAssignment.airport).where(AirportAssignment.user_id == user.id)
            )
        )
        for code in codes:
            if code not in known:
                session.add(AirportAssignment(user_id=user.id, airport=code))
    typer.echo(f"{username} decides for {', '.join(codes)}")


def register(root: typer.Typer) -> None:
    root.add_typer(passes_app, name="passes")
    root.add_typer(accreditations_app, name="accreditations")
    root.add_typer(airports_app, name="airports")
